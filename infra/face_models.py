"""The face models the analysis engine runs, taken from a registry package and cached under var/.

Both are Google's MediaPipe models (Apache-2.0), shipped inside the `mediapipe` 0.10.14 wheel
for Python 3.11 (the 1.x wheels carry none):
- `face_detection_short_range.tflite`: BlazeFace, 128 x 128 input, 896 anchors;
- `face_landmark.tflite`: FaceMesh, 192 x 192 input, 468 landmarks (x, y, z) and a face logit.

Plain OpenCV runs both (`cv2.dnn.readNetFromTFLite`), so no TensorFlow or MediaPipe runtime is
installed: `pip download --no-deps` fetches the wheel, the two files are extracted, checked
against pinned sha256 digests and written atomically. A file lock makes concurrent first runs
(test workers, two consumer processes) fetch once. `python -m infra.face_models` fetches ahead
of time (`make setup` runs it); otherwise the first analysis in a process fetches lazily.
Each network is loaded once per process; a cv2.dnn.Net must not run in two threads at once, so
`infer` runs one forward pass at a time per network (a consumer analyses one photo at a time anyway).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import subprocess
import sys
import tempfile
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

WHEEL = "mediapipe==0.10.14"
WHEEL_TAGS = ("--python-version", "3.11", "--platform", "manylinux_2_17_x86_64", "--only-binary=:all:")
LICENCE = "Apache-2.0 (MediaPipe models, Google LLC)"
MODELS: dict[str, tuple[str, str]] = {  # name -> (path inside the wheel, sha256)
    "detector": (
        "mediapipe/modules/face_detection/face_detection_short_range.tflite",
        "bbff11cebd1eb27a1e004cae0b0e63ec8c551cbf34a4451148b4908b8db3eca8",
    ),
    "landmarks": (
        "mediapipe/modules/face_landmark/face_landmark.tflite",
        "1055cb9d4a9ca8b8c688902a3a5194311138ba256bcc94e336d8373a5f30c814",
    ),
}
_nets: dict[str, tuple[cv2.dnn.Net, threading.Lock]] = {}
_loading = threading.Lock()


@dataclass(frozen=True)
class FaceModelConfig:
    """Where the models are cached (`SHINE_FACE_MODEL_DIR`, default `<repo>/var/models`)."""

    directory: Path

    @classmethod
    def from_env(cls) -> FaceModelConfig:
        """The configured cache directory."""
        default = Path(__file__).resolve().parents[1] / "var" / "models"
        return cls(Path(os.environ.get("SHINE_FACE_MODEL_DIR") or default))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _valid(path: Path, digest: str) -> bool:
    return path.is_file() and _sha256(path.read_bytes()) == digest


def _download_wheel(into: Path) -> Path:
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", *WHEEL_TAGS, WHEEL, "-d", str(into)]
    subprocess.run(cmd, check=True, timeout=600)
    wheels = sorted(into.glob("mediapipe-*.whl"))
    if not wheels:
        raise RuntimeError(f"pip download {WHEEL} produced no wheel")
    return wheels[0]


def _extract(wheel: Path, directory: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        for name, (member, digest) in MODELS.items():
            data = archive.read(member)
            if _sha256(data) != digest:
                raise RuntimeError(f"{member} in {wheel.name} has sha256 {_sha256(data)}, expected {digest}")
            tmp = directory / f".{name}.tmp"
            tmp.write_bytes(data)
            tmp.replace(directory / f"{name}.tflite")
    (directory / "LICENCE.txt").write_text(f"{LICENCE}; extracted from {wheel.name}\n")


def ensure_models(config: FaceModelConfig | None = None) -> dict[str, Path]:
    """The verified model files, fetched and cached first when missing or corrupt."""
    directory = (config or FaceModelConfig.from_env()).directory
    paths = {name: directory / f"{name}.tflite" for name in MODELS}
    if all(_valid(paths[n], d) for n, (_, d) in MODELS.items()):
        return paths
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be fetching: wait for it, then re-check
        if not all(_valid(paths[n], d) for n, (_, d) in MODELS.items()):
            with tempfile.TemporaryDirectory(dir=directory) as tmp:
                _extract(_download_wheel(Path(tmp)), directory)
    return paths


def _network(name: str) -> tuple[cv2.dnn.Net, threading.Lock]:
    """The named model ("detector" or "landmarks"), loaded once per process, with its lock."""
    with _loading:
        if name not in _nets:
            net = cv2.dnn.readNetFromTFLite(str(ensure_models()[name]))
            net.setPreferableBackend(cv2.dnn.DNN_BACKEND_OPENCV)
            _nets[name] = (net, threading.Lock())
        return _nets[name]


def infer(name: str, blob: NDArray[np.float32], outputs: list[str]) -> list[NDArray[np.float32]]:
    """One forward pass of the named model on an NCHW float blob, returning the named outputs."""
    net, lock = _network(name)
    with lock:
        net.setInput(blob)
        return [np.asarray(o, dtype=np.float32) for o in net.forward(outputs)]


if __name__ == "__main__":
    for model, path in ensure_models().items():
        print(f"{model}: {path}")
