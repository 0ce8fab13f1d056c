"""The quadrants' colours, one set everywhere: the app (static/css/base.css, whose :root block has
--strengths and --strengths-bg and so on) and the record's Excel and Word files. INK for a
quadrant's name and edges, WASH behind its notes (ink on wash passes WCAG AA).
tests/test_quadrant_colours.py keeps the stylesheet and the exporters equal to these."""
from __future__ import annotations

INK = {"strengths": "166534", "weaknesses": "9A3412", "opportunities": "1E40AF", "threats": "6B21A8"}
WASH = {"strengths": "E4F4E9", "weaknesses": "FDEBE2", "opportunities": "E3ECFD", "threats": "F1E7FA"}
