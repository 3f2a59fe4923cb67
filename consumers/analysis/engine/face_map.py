"""Zones and cut-outs as polygons over FaceMesh landmark indices.

Names follow the dermatology convention: `left_*`/`right_*` are the SUBJECT's sides, so
`left_cheek` is on the right of the photo. FaceMesh numbers the subject's right side (image
left) with the lower index of each mirrored pair; MIRROR gives the other side.

Zones: forehead (brows to hairline; hair is dropped by the skin mask), nose (bridge and
tip, not the wings), cheeks (below the under-eye, lateral to the nose, above the mouth
corners), chin (below the lower lip), under-eyes (the band below the lower lid), perioral
(the ring around the lips) and crow's feet (beside the outer eye corners). Cut out of every
zone: eyes, brows, lips and nostrils, each grown by a small margin (zones.py).
"""

from __future__ import annotations

from events.analyses import ZONES

RIGHT_SIDE: dict[str, tuple[int, ...]] = {
    "cheek": (117, 118, 119, 120, 100, 142, 203, 206, 207, 187, 147, 123, 116),
    "under_eye": (25, 110, 24, 23, 22, 26, 112, 121, 120, 119, 118, 117, 31),
    "crows_feet": (124, 35, 143, 127, 162, 139, 156),
}
MIDLINE: dict[str, tuple[int, ...]] = {
    "forehead": (63, 105, 66, 107, 9, 336, 296, 334, 293, 298, 333, 299, 337, 151, 108, 69, 104, 68),
    "nose": (168, 351, 419, 248, 281, 275, 1, 45, 51, 3, 196, 122),
    "chin": (83, 18, 313, 418, 262, 369, 400, 377, 152, 148, 176, 140, 32, 194),
    "perioral": (164, 393, 391, 322, 410, 287, 273, 335, 406, 313, 18, 83, 182, 106, 43, 57, 186, 92, 165, 167),
}
CUT_OUTS: dict[str, tuple[int, ...]] = {
    "right_eye": (33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7),
    "left_eye": (263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249),
    "right_brow": (70, 63, 105, 66, 107, 55, 65, 52, 53, 46),
    "left_brow": (300, 293, 334, 296, 336, 285, 295, 282, 283, 276),
    "lips": (61, 146, 91, 181, 84, 17, 314, 405, 321, 375, 291, 409, 270, 269, 267, 0, 37, 39, 40, 185),
    "nostrils": (48, 64, 98, 97, 2, 326, 327, 294, 278, 274, 19, 44),
}
MIRROR: dict[int, int] = {
    33: 263, 246: 466, 161: 388, 160: 387, 159: 386, 158: 385, 157: 384, 173: 398, 133: 362,
    155: 382, 154: 381, 153: 380, 145: 374, 144: 373, 163: 390, 7: 249,
    70: 300, 63: 293, 105: 334, 66: 296, 107: 336, 55: 285, 65: 295, 52: 282, 53: 283, 46: 276,
    117: 346, 118: 347, 119: 348, 120: 349, 100: 329, 142: 371, 203: 423, 206: 426, 207: 427,
    187: 411, 147: 376, 123: 352, 116: 345, 25: 255, 110: 339, 24: 254, 23: 253, 22: 252,
    26: 256, 112: 341, 121: 350, 31: 261, 124: 353, 35: 265, 143: 372, 127: 356, 162: 389,
    139: 368, 156: 383, 234: 454, 61: 291, 48: 278, 64: 294, 98: 327, 97: 326, 44: 274,
}  # fmt: skip
ZONE_NAMES = ZONES  # the zones an analysis reports, in their order
FACE_WIDTH = (234, 454)  # the face's widest points (cheekbones at the ear line)
POSE_PAIRS = ((234, 454), (33, 263), (61, 291), (127, 356), (116, 345))
FOREHEAD_TOP, CHIN_BOTTOM = 10, 152


def mirrored(indices: tuple[int, ...]) -> tuple[int, ...]:
    """The same outline on the subject's left side."""
    return tuple(MIRROR[i] for i in indices)


def zone_indices() -> dict[str, tuple[int, ...]]:
    """Landmark outline of every zone, in ZONE_NAMES order."""
    out = dict(MIDLINE)
    for part, outline in RIGHT_SIDE.items():
        out[f"right_{part}"] = outline
        out[f"left_{part}"] = mirrored(outline)
    return {name: out[name] for name in ZONE_NAMES}
