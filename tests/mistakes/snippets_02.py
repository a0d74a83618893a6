"""Lesson 02's answers, once: the wrong answers of cases_02*.py are these with a change.

Not a cases file (``with_themes`` merges only ``cases_02_*.py``): the theme files import
from here, never from cases_02.py (which imports them).
"""

#: 02.3's answer: every record counted by its event name, restocks among the MODIFYs.
RESTOCKS = """\
for record in event["Records"]:
    counts[record["eventName"]] += 1
    if record["eventName"] == "MODIFY":
        old = int(record["dynamodb"]["OldImage"]["stock"]["N"])
        new = int(record["dynamodb"]["NewImage"]["stock"]["N"])
        if new > old:
            counts["restocks"] += 1
"""

#: 02.5's answer: each bad message's id reported, the batch's others processed.
BATCH = """\
failures = []
for record in event["Records"]:
    try:
        process(json.loads(record["body"]))
    except ValueError:
        failures.append({"itemIdentifier": record["messageId"]})
return {"batchItemFailures": failures}
"""
