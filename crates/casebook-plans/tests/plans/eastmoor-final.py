"""Writes eastmoor-final.docx (argument: where) with python-docx: a final EHC plan in
the layout of a council that puts needs, outcomes and provision in tables."""
import sys

import docx

d = docx.Document()
d.add_heading("Eastmoor Borough Council", 0)
d.add_paragraph("Education, Health and Care Plan for Sam Reid")
d.add_paragraph("Final plan issued on 10 October 2026")


def table(header, rows):
    t = d.add_table(rows=len(rows) + 1, cols=len(header))
    for c, text in enumerate(header):
        t.cell(0, c).text = text
    for r, row in enumerate(rows, start=1):
        for c, text in enumerate(row):
            t.cell(r, c).text = text


d.add_heading("A. All about me", 1)
d.add_paragraph("Sam is 11 and has just started at Eastmoor Academy. He likes cooking and swimming.")

d.add_heading("B. Description of special educational needs", 1)
table(
    ["Area of need", "Description"],
    [
        ["Literacy", "Sam's spelling and written work are well below what is expected for his age."],
        ["Attention", "Sam finds it hard to stay on a task for more than five minutes without a break."],
        ["Independence skills", "Sam needs help to organise his equipment and to find his way between lessons."],
        ["Hearing", "Sam has a moderate hearing loss in his left ear and wears a hearing aid."],
    ],
)

d.add_heading("C. Health needs", 1)
d.add_paragraph("Sam's hearing is reviewed by the audiology service at the hospital.")

d.add_heading("D. Social care needs", 1)
d.add_paragraph("None.")

d.add_heading("E. Outcomes sought", 1)
table(
    ["Outcome", "By when"],
    [
        ["Sam will write a paragraph of five sentences with capital letters and full stops used correctly in 4 out of 5 pieces of work.", "By the end of Year 7 (July 2027)"],
        ["Sam will improve his concentration.", "Ongoing"],
        ["Sam will be more organised.", "By July 2027"],
    ],
)

d.add_heading("F. Special educational provision", 1)
table(
    ["Need", "Provision", "Who", "How often"],
    [
        ["Literacy", "A structured spelling programme (Toe by Toe) in a 1:1 session", "Specialist teacher (dyslexia qualified)", "Three 30-minute sessions a week"],
        ["Attention", "Access to a movement break as appropriate", "Teaching assistant", "As needed"],
        ["Hearing", "Monitoring of his hearing aid and advice to his teachers", "Qualified teacher of the deaf", "Once each half term, for one hour"],
        ["Literacy", "Support from a TA in English lessons", "TA", "Daily"],
        ["Speech and language", "A speech and language therapy programme should be followed in class", "Class teacher", "Weekly"],
    ],
)

d.add_heading("G. Health provision", 1)
d.add_paragraph("Audiology reviews at the hospital every six months.")

d.add_heading("H. Social care provision", 1)
d.add_paragraph("Sam will attend a social skills group run by the council's short breaks service.")

d.add_heading("I. Placement", 1)
d.add_paragraph("To be confirmed.")

d.add_heading("J. Personal budget", 1)
d.add_paragraph("Not requested.")

d.add_heading("K. Advice and information", 1)
d.add_paragraph("Educational psychologist report (Dr P Lee, 3 May 2026): recommends three sessions of 30 minutes a week of structured spelling work with a specialist teacher.")
d.add_paragraph("Speech and language therapist report (Ms R Khan, 8 May 2026): recommends a programme of speech and language therapy of 30 minutes weekly, delivered by a speech and language therapist.")
d.add_paragraph("Occupational therapist report (Mr D Evans, 1 June 2026): no occupational therapy needs were identified.")

d.save(sys.argv[1])
