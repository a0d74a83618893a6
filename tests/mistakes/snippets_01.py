"""Lesson 01's answers, once: the wrong answers of cases_01*.py are these with a change.

Not a cases file (``with_themes`` merges only ``cases_01_*.py``): the theme files import
from here, never from cases_01.py (which imports them).
"""

#: 01.2's answer's last line: the greeting, as API Gateway wants it.
RESPONSE = (
    'return {"statusCode": 200, "headers": headers, "body": '
    'json.dumps({"greeting": f"Hello, {event[\'name\']}!"})}'
)

#: 01.5's answer: stop while 300 ms are left.
TIME_CHECK = """\
if context.get_remaining_time_in_millis() < 300:
    break
"""
