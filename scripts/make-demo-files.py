"""Writes the demonstration case's attached files (crates/casebook-app/demo/): a photo
with EXIF metadata, so the bundle's metadata stripping has something to strip, and a
two-page GP letter as a plain PDF with real text. Needs Pillow for the photo. Run once;
the outputs are committed."""

import pathlib
import sys

OUT = pathlib.Path(__file__).resolve().parent.parent / "crates/casebook-app/demo"

LETTER = [
    [
        "Riverside Medical Practice",
        "6 October 2026",
        "To whom it may concern",
        "Re: Alex Morgan (demonstration case)",
        "Alex was seen today with his mother. He reports stomach aches on school",
        "mornings and difficulty sleeping since mid September. Examination was",
        "normal. The symptoms are consistent with anxiety about attending school.",
    ],
    [
        "I have referred Alex to the local children's mental health service and",
        "advised that school consider a support plan in the meantime.",
        "Dr A. Example (demonstration letter, not a real doctor)",
    ],
]


def pdf(pages):
    objects = []

    def add(body):
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pages_id = len(objects) + 1 + 2 * len(pages)
    kids = []
    for lines in pages:
        text = "BT /F1 12 Tf 72 770 Td 16 TL " + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '"
            for line in lines
        ) + " ET"
        stream = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text.encode()))
        kids.append(add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
            % (pages_id, font, stream)
        ))
    add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids)))
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, catalog, xref)
    return bytes(out)


def photo():
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (480, 360), (200, 205, 215))
    draw = ImageDraw.Draw(img)
    draw.rectangle([60, 80, 420, 280], fill=(30, 40, 90))
    draw.polygon([(200, 150), (260, 140), (300, 200), (240, 215)], fill=(200, 205, 215))
    draw.text((70, 300), "Demonstration photo: torn sleeve", fill=(20, 20, 20))
    exif = Image.Exif()
    exif[0x010F] = "DemoPhone"  # the camera's maker: metadata the bundle must remove
    path = OUT / "torn-sleeve.jpg"
    img.save(path, quality=70, exif=exif.tobytes())


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "gp-letter.pdf").write_bytes(pdf(LETTER))
    if "--no-photo" not in sys.argv:
        photo()
