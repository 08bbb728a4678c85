"""Glyph-level removal of text from content streams.

:class:`ContentRewriter` interprets a content stream (page or Form XObject)
far enough to know where every glyph lands: the graphics state (``q``/``Q``/
``cm``), the text state (``Tf Tc Tw Tz TL Ts``, ``Tm``/``Td``/``T*``) and the
glyph widths of each font. A glyph whose box (advance width × the font's
descent..ascent) overlaps a redaction rectangle is taken out of its string and
replaced by a ``TJ`` position adjustment of exactly its advance, so the glyphs
around it stay where they were. A text-show operator that loses glyphs is
rewritten as ``TJ`` (``'`` and ``"`` first get their implied ``T*``/``Tw``/``Tc``).

What we cannot position with certainty is refused, never guessed: Type3 fonts,
composite fonts with another encoding than Identity-H, standard fonts without
``/Widths`` whose codes we cannot map, a stream pikepdf cannot parse. Form and
image XObjects are delegated to the caller through :meth:`ContentRewriter.on_xobject`.
"""

from __future__ import annotations

import ctypes
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from typing import Any

import pikepdf

from recordsdesk.i18n import N_
from recordsdesk.redact.areas import IDENTITY, Matrix, Rect, multiply, overlaps_any, transform_rect

STANDARD_14 = {
    "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique",
    "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique",
    "Arial", "Arial,Bold", "Arial,Italic", "Arial,BoldItalic", "TimesNewRoman",
}  # fmt: skip
TEXT_CODECS = {"/WinAnsiEncoding": "cp1252", "/MacRomanEncoding": "mac_roman"}
MIN_HIT_WIDTH = 0.25  # em: a zero-width glyph still has ink; test a box this wide
ALT_TEXT_KEYS = ("/ActualText", "/Alt", "/E")
UNPARSEABLE = N_("content stream cannot be parsed ({error})")


class Refusal(Exception):
    """A content stream we will not rewrite; carries a translatable reason."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid.format(**params))
        self.msgid = msgid
        self.params = params


@dataclass(frozen=True)
class FontMetrics:
    """What positioning needs: code length, widths (1/1000 em), vertical extent (em)."""

    two_byte: bool
    width: Callable[[int], float]
    ascent: float
    descent: float


def _descriptor_extent(descriptor: Any) -> tuple[float, float]:
    ascent = float(descriptor.get("/Ascent", 0)) if descriptor is not None else 0.0
    descent = float(descriptor.get("/Descent", 0)) if descriptor is not None else 0.0
    if ascent <= 0:
        ascent = 800.0  # no usable metrics: a generous typical value
    if descent >= 0:
        descent = -200.0
    return ascent / 1000, descent / 1000


@cache
def _standard_width_table(base: str, codec: str) -> tuple[float | None, ...]:
    """Widths (per 1,000 em) of the 256 codes of a standard-14 font, from pdfium's own
    metrics; None where pdfium knows no glyph. The scratch document is closed at once,
    so no pdfium object outlives the call (one left open is closed at interpreter exit,
    when pdfium may already be gone)."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]
    import pypdfium2.raw as raw  # type: ignore[import-untyped]

    doc = pdfium.PdfDocument.new()
    try:
        font = raw.FPDFText_LoadStandardFont(doc.raw, base.encode("ascii"))
        if not font:
            return (None,) * 256
        try:
            widths: list[float | None] = []
            for code in range(256):
                char = bytes([code]).decode(codec, errors="replace")
                if codec == "latin-1" and char in "'`":
                    char = {"'": "\u2019", "`": "\u2018"}[char]  # StandardEncoding's quotes
                result = ctypes.c_float()
                known = raw.FPDFFont_GetGlyphWidth(font, ord(char), 1000.0, ctypes.byref(result))
                widths.append(float(result.value) if known else None)
            return tuple(widths)
        finally:
            raw.FPDFFont_Close(font)
    finally:
        doc.close()


def _standard_widths(base: str, encoding: Any) -> Callable[[int], float]:
    """Widths of a standard-14 font without ``/Widths``, from pdfium's own metrics."""
    if encoding is not None and not isinstance(encoding, pikepdf.Name):
        raise Refusal(N_("font {font} redefines its encoding without giving widths"), font=base)
    table = _standard_width_table(base, TEXT_CODECS.get(str(encoding), "latin-1"))

    def width(code: int) -> float:
        found = table[code] if 0 <= code < len(table) else None
        if found is None:
            raise Refusal(N_("no width known for code {code} of font {font}"), code=code, font=base)
        return found

    return width


def font_metrics(font: pikepdf.Dictionary) -> FontMetrics:
    """Metrics of ``font``; raises :class:`Refusal` for fonts we cannot position."""
    subtype = str(font.get("/Subtype", ""))
    base = str(font.get("/BaseFont", "/?"))[1:].split("+")[-1]
    if subtype == "/Type3":
        raise Refusal(N_("Type3 font {font} (glyphs drawn by procedures)"), font=base)
    if subtype == "/Type0":
        encoding = font.get("/Encoding")
        if not (isinstance(encoding, pikepdf.Name) and str(encoding) == "/Identity-H"):
            raise Refusal(N_("composite font {font} with encoding {encoding}"),
                          font=base, encoding=str(encoding))  # fmt: skip
        cid = font.DescendantFonts[0]
        default = float(cid.get("/DW", 1000))
        table: dict[int, float] = {}
        w = list(cid.get("/W", []))
        i = 0
        while i + 1 < len(w):
            start = int(w[i])
            if isinstance(w[i + 1], pikepdf.Array):
                for k, value in enumerate(w[i + 1]):
                    table[start + k] = float(value)
                i += 2
            else:
                for code in range(start, int(w[i + 1]) + 1):
                    table[code] = float(w[i + 2])
                i += 3
        ascent, descent = _descriptor_extent(cid.get("/FontDescriptor"))
        return FontMetrics(True, lambda code: table.get(code, default), ascent, descent)
    descriptor = font.get("/FontDescriptor")
    ascent, descent = _descriptor_extent(descriptor)
    if "/Widths" in font:
        first = int(font.get("/FirstChar", 0))
        widths = [float(x) for x in font.Widths]
        missing = float(descriptor.get("/MissingWidth", 0)) if descriptor is not None else 0.0

        def width(code: int) -> float:
            return widths[code - first] if 0 <= code - first < len(widths) else missing

        return FontMetrics(False, width, ascent, descent)
    if base in STANDARD_14:
        return FontMetrics(False, _standard_widths(base, font.get("/Encoding")), ascent, descent)
    raise Refusal(N_("font {font} has no glyph widths"), font=base)


@dataclass
class GState:
    ctm: Matrix = IDENTITY
    font: FontMetrics | None = None
    size: float = 0.0
    tc: float = 0.0
    tw: float = 0.0
    th: float = 1.0
    tl: float = 0.0
    rise: float = 0.0


@dataclass
class Outcome:
    """The rewritten instructions and what changed."""

    instructions: list[Any]
    removed_glyphs: int = 0
    changed: bool = False
    unclosed_saves: int = 0
    open_text: bool = False  # the stream ended inside BT ... (no ET)
    touched_marks: list[int] = field(default_factory=list)


XObjectHandler = Callable[[str, pikepdf.Object, Matrix], "list[Any] | None"]


class ContentRewriter:
    """Rewrites one content stream; ``on_xobject`` handles ``Do`` (see ``rewrite``)."""

    def __init__(self, pdf: pikepdf.Pdf, rects: Sequence[Rect], on_xobject: XObjectHandler) -> None:
        self.pdf = pdf
        self.rects = list(rects)
        self.on_xobject = on_xobject
        self._fonts: dict[tuple[int, int], FontMetrics] = {}

    def rewrite(self, stream: Any, resources: Any, ctm: Matrix) -> Outcome:
        """Rewrite ``stream`` (a page or a content stream) drawn with ``ctm``.

        ``on_xobject(name, xobject, ctm)`` returns None to keep a ``Do`` as it
        is, or the instructions that replace it (an empty list removes it).
        """
        self.pdf.get_warnings()  # forget earlier ones: only this stream's count
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                instructions = pikepdf.parse_content_stream(stream)
            except pikepdf.PdfError as error:
                raise Refusal(UNPARSEABLE, error=str(error)) from error
        problems = [str(w.message) for w in caught] + list(self.pdf.get_warnings())
        if problems:  # qpdf skipped something it could not read: we would be guessing
            raise Refusal(UNPARSEABLE, error=problems[0])
        try:
            return self._run(instructions, resources, ctm)
        except (TypeError, ValueError, IndexError, KeyError, AttributeError) as error:
            raise Refusal(UNPARSEABLE, error=f"{type(error).__name__}: {error}") from error

    def _run(self, instructions: list[Any], resources: Any, ctm: Matrix) -> Outcome:
        out = Outcome([])
        gs, stack = GState(ctm=ctm), []
        tm = tlm = IDENTITY
        marks: list[tuple[int, bool]] = []  # (index in output, has alternative text)
        for inst in instructions:
            op = str(inst.operator)
            if isinstance(inst, pikepdf.ContentStreamInlineImage):
                placement = transform_rect(gs.ctm, (0.0, 0.0, 1.0, 1.0))
                if overlaps_any(placement, self.rects):
                    replacement = self.on_xobject("", inst.iimage.obj, gs.ctm)
                    if replacement is not None:
                        out.instructions.extend(replacement)
                        out.changed = True
                        continue
                out.instructions.append(inst)
                continue
            operands = list(inst.operands)
            if any(operand is None for operand in operands):
                raise Refusal(UNPARSEABLE, error=f"unreadable operand of {op}")
            if op == "q":
                stack.append(replace(gs))
            elif op == "Q":
                if not stack:
                    out.changed = True  # an unmatched Q would pop our own wrapper: drop it
                    continue
                gs = stack.pop()
            elif op == "cm":
                gs.ctm = multiply(tuple(float(v) for v in operands), gs.ctm)  # type: ignore[arg-type]
            elif op == "BT":
                tm = tlm = IDENTITY
                out.open_text = True
            elif op == "ET":
                out.open_text = False
            elif op in ("Tc", "Tw", "Tz", "TL", "Ts"):
                value = float(operands[0])
                attr = {"Tc": "tc", "Tw": "tw", "Tz": "th", "TL": "tl", "Ts": "rise"}[op]
                setattr(gs, attr, value / 100 if op == "Tz" else value)
            elif op == "Tf":
                gs.font = self._font(resources, operands[0])
                gs.size = float(operands[1])
            elif op == "gs":
                self._ext_gstate(resources, operands[0], gs)
            elif op in ("Td", "TD"):
                tx, ty = float(operands[0]), float(operands[1])
                if op == "TD":
                    gs.tl = -ty
                tm = tlm = multiply((1, 0, 0, 1, tx, ty), tlm)
            elif op == "Tm":
                tm = tlm = tuple(float(v) for v in operands)  # type: ignore[assignment]
            elif op == "T*":
                tm = tlm = multiply((1, 0, 0, 1, 0, -gs.tl), tlm)
            elif op in ("Tj", "TJ", "'", '"'):
                prefix: list[Any] = []
                if op in ("'", '"'):
                    if op == '"':
                        gs.tw, gs.tc = float(operands[0]), float(operands[1])
                        prefix = [([operands[0]], pikepdf.Operator("Tw")),
                                  ([operands[1]], pikepdf.Operator("Tc"))]  # fmt: skip
                    prefix.append(([], pikepdf.Operator("T*")))
                    tm = tlm = multiply((1, 0, 0, 1, 0, -gs.tl), tlm)
                items = list(operands[-1]) if op == "TJ" else [operands[-1]]
                new_items, removed, tm = self._show(gs, tm, items)
                if removed:
                    out.removed_glyphs += removed
                    out.changed = True
                    out.touched_marks.extend(i for i, alt in marks if alt)
                    out.instructions.extend(prefix)
                    out.instructions.append(([pikepdf.Array(new_items)], pikepdf.Operator("TJ")))
                    continue
            elif op in ("BDC", "BMC"):
                alt = op == "BDC" and self._has_alt(operands, resources)
                marks.append((len(out.instructions), alt))
            elif op == "EMC":
                if marks:
                    marks.pop()
            elif op == "Do":
                xobjects = resources.get("/XObject", {}) if resources is not None else {}
                xobject = xobjects.get(str(operands[0]))
                if xobject is not None:
                    replacement = self.on_xobject(str(operands[0]), xobject, gs.ctm)
                    if replacement is not None:
                        out.instructions.extend(replacement)
                        out.changed = True
                        continue
            out.instructions.append(inst)
        out.unclosed_saves = len(stack)
        self._strip_alt(out, resources)
        return out

    def _show(self, gs: GState, tm: Matrix, items: list[Any]) -> tuple[list[Any], int, Matrix]:
        """Walk the glyphs of one show operator; returns new TJ items, glyphs removed, new Tm."""
        if gs.font is None:
            raise Refusal(N_("text is shown before any font is selected"))
        font, scale = gs.font, gs.size * gs.th
        new: list[Any] = []
        buffer = bytearray()
        removed = 0

        def adjust(amount: float) -> None:
            nonlocal buffer
            if buffer:
                new.append(pikepdf.String(bytes(buffer)))
                buffer = bytearray()
            if new and isinstance(new[-1], float):
                new[-1] += amount
            else:
                new.append(amount)

        for item in items:
            if not isinstance(item, pikepdf.String):
                shift = float(item)
                tm = multiply((1, 0, 0, 1, -shift / 1000 * scale, 0), tm)
                adjust(shift)
                continue
            data = bytes(item)
            step = 2 if font.two_byte else 1
            for k in range(0, len(data) - step + 1, step):
                chunk = data[k : k + step]
                code = int.from_bytes(chunk, "big")
                w0 = font.width(code) / 1000
                spacing = gs.tc + (gs.tw if step == 1 and code == 32 else 0.0)
                advance = (w0 * gs.size + spacing) * gs.th
                trm = multiply((gs.size * gs.th, 0, 0, gs.size, 0, gs.rise), multiply(tm, gs.ctm))
                hit_width = max(w0, MIN_HIT_WIDTH)
                box = transform_rect(trm, (0.0, font.descent, hit_width, font.ascent))
                if overlaps_any(box, self.rects):
                    if abs(scale) < 1e-9:
                        raise Refusal(N_("text with zero font size or scaling under an area"))
                    removed += 1
                    adjust(-advance / scale * 1000)
                else:
                    buffer.extend(chunk)
                tm = multiply((1, 0, 0, 1, advance, 0), tm)
        if buffer:
            new.append(pikepdf.String(bytes(buffer)))
        return new, removed, tm

    def _font(self, resources: Any, name: Any) -> FontMetrics:
        fonts = resources.get("/Font", {}) if resources is not None else {}
        font = fonts.get(str(name))
        if font is None:
            raise Refusal(N_("font {font} is used but not defined"), font=str(name))
        key = font.objgen if font.is_indirect else (id(font), 0)
        if key not in self._fonts:
            self._fonts[key] = font_metrics(font)
        return self._fonts[key]

    def _ext_gstate(self, resources: Any, name: Any, gs: GState) -> None:
        states = resources.get("/ExtGState", {}) if resources is not None else {}
        state = states.get(str(name))
        if state is not None and "/Font" in state:
            font_ref, size = state.Font[0], float(state.Font[1])
            key = font_ref.objgen if font_ref.is_indirect else (id(font_ref), 0)
            if key not in self._fonts:
                self._fonts[key] = font_metrics(font_ref)
            gs.font, gs.size = self._fonts[key], size

    @staticmethod
    def _properties(operands: list[Any], resources: Any) -> Any:
        props = operands[1] if len(operands) > 1 else None
        if isinstance(props, pikepdf.Name) and resources is not None:
            props = resources.get("/Properties", {}).get(str(props))
        return props

    def _has_alt(self, operands: list[Any], resources: Any) -> bool:
        props = self._properties(operands, resources)
        return isinstance(props, pikepdf.Dictionary) and any(k in props for k in ALT_TEXT_KEYS)

    def _strip_alt(self, out: Outcome, resources: Any) -> None:
        """Drop /ActualText, /Alt and /E of marked content that lost glyphs (may quote them)."""
        for index in sorted(set(out.touched_marks)):
            inst = out.instructions[index]
            operands = list(inst.operands)
            props = self._properties(operands, resources)
            kept = pikepdf.Dictionary(
                {k: v for k, v in props.items() if k not in ALT_TEXT_KEYS and k != "/MCID"}
            )
            if "/MCID" in props:
                kept["/MCID"] = props["/MCID"]
            out.instructions[index] = ([operands[0], kept], pikepdf.Operator("BDC"))
