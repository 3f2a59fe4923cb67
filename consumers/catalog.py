"""Every consumer group this codebase runs."""

from __future__ import annotations

from collections.abc import Mapping

from consumers.delivery import Handler
from consumers.host import ConsumerSpec, Resources
from consumers.projector.handlers import CONSUMER as PROJECTOR
from consumers.projector.handlers import projector_handlers
from events.envelope import Event
from events.topics import ANALYSES, UPLOADS
from events.uploads import UploadAccepted


def _analysis(resources: Resources) -> Mapping[type[Event], Handler]:
    # Imported here so processes that do not analyse (projector, CLI) never load OpenCV.
    from consumers.analysis.engine import AnalyzerParams
    from consumers.analysis.handlers import AnalysisHandlers

    handlers = AnalysisHandlers(resources.blobs, resources.publisher, AnalyzerParams())
    return {UploadAccepted: handlers.on_upload_accepted}  # type: ignore[dict-item]


def _projector(resources: Resources) -> Mapping[type[Event], Handler]:
    return projector_handlers(resources.engine)


CONSUMERS: dict[str, ConsumerSpec] = {
    "analysis": ConsumerSpec("analysis", (UPLOADS,), _analysis, port_offset=1),
    PROJECTOR: ConsumerSpec(PROJECTOR, (UPLOADS, ANALYSES), _projector, port_offset=2),
}
