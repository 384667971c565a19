"""Which faces the papers use. By default the free Noto CJK fonts (Noto Serif CJK SC: a song face for the
title and body; Noto Sans CJK SC: a hei face for headings). An office that owns licensed fonts puts them
in the directory named by the setting / environment variable PAPER_FONT_DIR; a font file whose family name
is a fang-song (仿宋_GB2312, 仿宋), the small-title song (方正小标宋), a hei (黑体) or a kai (楷体_GB2312) face
then takes over that role, in the PDF (embedded through @font-face) and by name in the DOCX."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings

SONG = "Noto Serif CJK SC"
HEI = "Noto Sans CJK SC"

# Words in a font's family name → the role it plays. Checked in this order.
ROLE_HINTS = {
    "title": ("小标宋", "xiaobiaosong", "xbs"),
    "body": ("仿宋", "fangsong", "fang song"),
    "heading": ("黑体", "simhei", "heiti"),
    "kai": ("楷体", "kaiti", "simkai"),
}
FONT_SUFFIXES = (".ttf", ".otf", ".ttc")


@dataclass(frozen=True)
class Faces:
    """The family name of each role, and for licensed fonts the file that provides it."""

    title: str = SONG
    body: str = SONG
    heading: str = HEI
    kai: str = SONG
    files: dict = field(default_factory=dict)  # role → path of a licensed font file

    def stack(self, role: str) -> str:
        """A CSS font-family list: the role's face, then the free fallbacks."""
        names = [f"Paper{role.title()}"] if role in self.files else []
        names += [getattr(self, role), SONG, HEI]
        return ", ".join(f'"{n}"' for n in dict.fromkeys(names))

    def font_face_css(self) -> str:
        return "".join(
            f'@font-face {{ font-family: "Paper{role.title()}"; src: url("{Path(path).as_uri()}"); }}\n'
            for role, path in self.files.items()
        )


def font_dir() -> str:
    return str(getattr(settings, "PAPER_FONT_DIR", "") or os.environ.get("PAPER_FONT_DIR", ""))


def _family_names(path: Path) -> list[str]:
    from fontTools.ttLib import TTCollection, TTFont

    try:
        fonts = TTCollection(str(path)).fonts if path.suffix.lower() == ".ttc" else [TTFont(str(path), lazy=True)]
    except Exception:  # not a font we can read: ignore it, the free fonts stay
        return []
    names = []
    for font in fonts:
        for record in font["name"].names:
            if record.nameID in (1, 4):
                try:
                    names.append(record.toUnicode())
                except UnicodeDecodeError:
                    continue
    return names


@lru_cache(maxsize=4)
def faces_for(directory: str) -> Faces:
    if not directory or not Path(directory).is_dir():
        return Faces()
    chosen: dict[str, tuple[str, str]] = {}
    for path in sorted(Path(directory).iterdir()):
        if path.suffix.lower() not in FONT_SUFFIXES:
            continue
        names = _family_names(path)
        for role, hints in ROLE_HINTS.items():
            if role in chosen:
                continue
            match = next((n for n in names if any(h in n.lower() for h in hints)), None)
            if match:
                chosen[role] = (match, str(path))
                break
    return Faces(**{role: name for role, (name, _) in chosen.items()}, files={role: p for role, (_, p) in chosen.items()})


def faces() -> Faces:
    return faces_for(font_dir())
