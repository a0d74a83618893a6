"""Event filtering of event source mappings: ``FilterCriteria``, as Lambda's pollers apply it.

An event source mapping may carry up to five filters (EventBridge-style patterns, as
JSON text). Lambda tests each record against them before it batches: a record that
matches at least one filter is delivered, the others never reach the function. For an
SQS queue, a message that matches no filter is deleted from the queue; for a DynamoDB
stream, such a record is skipped. An SQS message's ``body`` is matched as JSON when it
is valid JSON (``{"body": {"kind": ["order"]}}``), else as a plain string.
https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
"""

from __future__ import annotations

import json
from typing import Any

from .. import patterns


def filters(filter_criteria: Any) -> list[dict]:
    """The patterns of a mapping's ``FilterCriteria`` (none: deliver everything)."""
    found = []
    for item in (filter_criteria or {}).get("Filters") or []:
        pattern = item.get("Pattern")
        if pattern:
            found.append(json.loads(pattern) if isinstance(pattern, str) else pattern)
    return found


def _filterable(record: dict[str, Any]) -> dict[str, Any]:
    """The record as filters see it: an SQS body that is JSON is matched as JSON."""
    body = record.get("body")
    if isinstance(body, str):
        try:
            parsed = json.loads(body)
        except ValueError:
            return record
        if isinstance(parsed, dict):
            return dict(record, body=parsed)
    return record


def record_matches(filter_criteria: Any, record: dict[str, Any]) -> bool:
    """Is this record (as Lambda writes it into the event) delivered?"""
    found = filters(filter_criteria)
    if not found:
        return True
    subject = _filterable(record)
    return any(patterns.matches(pattern, subject) for pattern in found)
