"""The registry-shipped face models: fetched and verified, a real face found and its landmarks and zones placed."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from consumers.analysis.engine.detector import anchors, detect
from consumers.analysis.engine.face_map import CUT_OUTS, MIRROR, ZONE_NAMES, zone_indices
from consumers.analysis.engine.locate import locate
from consumers.analysis.engine.mesh import landmarks
from consumers.analysis.engine.outcome import Refusal
from consumers.analysis.engine.params import AnalyzerParams
from consumers.analysis.engine.pose import head_pose
from consumers.analysis.engine.preprocess import colour_lab
from consumers.analysis.engine.zones import build_zones
from infra import face_models

from ._synth import astronaut, zone_mask

PARAMS = AnalyzerParams()


def test_cached_models_match_their_pinned_digests() -> None:
    paths = face_models.ensure_models()
    for name, (_, digest) in face_models.MODELS.items():
        assert hashlib.sha256(paths[name].read_bytes()).hexdigest() == digest


def test_a_wheel_whose_model_differs_from_the_pin_is_rejected(tmp_path: Path) -> None:
    wheel = tmp_path / "mediapipe-0.10.14-fake.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for member, _ in face_models.MODELS.values():
            archive.writestr(member, b"tampered")
    with pytest.raises(RuntimeError, match="sha256"):
        face_models._extract(wheel, tmp_path)
    assert not list(tmp_path.glob("*.tflite"))


def test_valid_cached_models_are_used_without_fetching(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    source = face_models.ensure_models()
    for name, path in source.items():
        (tmp_path / f"{name}.tflite").write_bytes(path.read_bytes())

    def no_network(into: Path) -> Path:
        raise AssertionError("valid cached models must not be fetched again")

    monkeypatch.setattr(face_models, "_download_wheel", no_network)
    found = face_models.ensure_models(face_models.FaceModelConfig(tmp_path))
    assert set(found) == set(face_models.MODELS)


def test_the_detector_finds_the_astronauts_face_with_its_keypoints() -> None:
    assert anchors().shape == (896, 2)
    faces = detect(astronaut(), 1.0, PARAMS)
    assert len(faces) == 1 and faces[0].score > 0.8
    x, y, w, _ = faces[0].box
    assert 170 <= x <= 195 and 60 <= y <= 95 and 80 <= w <= 110
    right_eye, left_eye = faces[0].keypoints[:2]
    assert right_eye[0] < left_eye[0]  # the subject's right eye is on the left of the photo


def test_landmarks_land_on_the_face_and_zones_follow_the_subjects_sides() -> None:
    mesh = landmarks(astronaut(), detect(astronaut(), 1.0, PARAMS)[0])
    assert mesh.presence > 0.9 and mesh.points.shape == (468, 3)
    xy = mesh.points[:, :2]
    assert (xy[:, 0].min(), xy[:, 1].min()) > (165, 55) and (xy[:, 0].max(), xy[:, 1].max()) < (285, 190)
    nose_tip = xy[1]
    nose = zone_mask(astronaut(), ("nose",))
    assert nose[int(nose_tip[1]), int(nose_tip[0])]
    left, right = zone_mask(astronaut(), ("left_cheek",)), zone_mask(astronaut(), ("right_cheek",))
    assert np.nonzero(left)[1].mean() > nose_tip[0] > np.nonzero(right)[1].mean()


def test_every_zone_and_cut_out_is_a_valid_outline() -> None:
    zones = zone_indices()
    assert tuple(zones) == ZONE_NAMES
    for outline in [*zones.values(), *CUT_OUTS.values()]:
        assert len(outline) >= 6 and len(set(outline)) == len(outline) and all(0 <= i < 468 for i in outline)
    assert all(MIRROR[a] != a for a in MIRROR)


def test_zones_never_cover_eyes_brows_lips_or_nostrils() -> None:
    loc = locate(astronaut(), PARAMS)
    assert not isinstance(loc, Refusal)
    lab = colour_lab(loc.crop.astype(np.float32) / 255.0)
    zones = build_zones(lab, loc.local, PARAMS)
    covered = np.logical_or.reduce(list(zones.areas.values()))
    for name, outline in CUT_OUTS.items():
        inside = np.zeros(covered.shape, np.uint8)
        cv2.fillPoly(inside, [np.round(loc.local[list(outline)]).astype(np.int32)], 1)
        assert not (covered & inside.astype(bool)).any(), name


def _rotated(points: np.ndarray, yaw: float = 0.0, pitch: float = 0.0) -> np.ndarray:
    """Landmarks turned about the face's centre: yaw about the vertical axis, pitch about the horizontal."""
    centre = points.mean(axis=0)
    a, b = np.radians(yaw), np.radians(pitch)
    turn_y = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    turn_x = np.array([[1, 0, 0], [0, np.cos(b), -np.sin(b)], [0, np.sin(b), np.cos(b)]])
    return np.asarray((points - centre) @ (turn_x @ turn_y).T + centre)


@pytest.mark.parametrize("angle", [-30.0, -15.0, 15.0, 30.0])
def test_pose_reads_yaw_and_pitch_from_turned_landmarks(angle: float) -> None:
    points = landmarks(astronaut(), detect(astronaut(), 1.0, PARAMS)[0]).points
    level = head_pose(points, astronaut().shape)
    turned = head_pose(_rotated(points, yaw=angle), astronaut().shape)
    tilted = head_pose(_rotated(points, pitch=angle), astronaut().shape)
    assert abs(abs(turned.yaw - level.yaw) - abs(angle)) < 4.0 and abs(turned.pitch - level.pitch) < 4.0
    mirrored = head_pose(_rotated(points, yaw=-angle), (512, 512))
    assert np.sign(turned.yaw - level.yaw) == -np.sign(mirrored.yaw - level.yaw)
    assert abs(abs(tilted.pitch - level.pitch) - abs(angle)) < 6.0 and abs(tilted.yaw - level.yaw) < 4.0


def test_the_astronaut_is_frontal_and_inside_the_frame() -> None:
    pose = head_pose(landmarks(astronaut(), detect(astronaut(), 1.0, PARAMS)[0]).points, astronaut().shape)
    assert abs(pose.yaw) < 6 and abs(pose.pitch) < 8 and abs(pose.roll) < 6 and pose.outside == 0.0
