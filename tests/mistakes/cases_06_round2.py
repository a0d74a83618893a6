"""Lesson 06, round 2 of the independent evaluation (eval-b): provisioned concurrency put
where reserved concurrency caps, a new uuid as the charge id, a JSON log line indented
over several lines or with a prefix, SET instead of ADD, and a partner timeout of all the
time left. (Returning the Decimal that update_item gives back is right: awslambdaric
writes a Decimal in the JSON response as its digits, {"visits": 8}.)"""

from mistakes_runner import Mistake

MISTAKES = {
    "06.2": [
        Mistake(
            "gives the partner call all the time left (no margin)",
            solution="""\
try:
    left = context.get_remaining_time_in_millis() / 1000
    with urllib.request.urlopen(url, timeout=left) as response:
        return {'status': 'ok', 'quote': json.load(response)}
except (TimeoutError, urllib.error.URLError):
    return {'status': 'partner-timeout'}""",
            expect=["killed the function", "all the time left", "safety margin"],
        ),
    ],
    "06.3": [
        Mistake(
            "SET visits = :one instead of ADD",
            solution="""\
result = counters.update_item(Key={'page': 'home'}, UpdateExpression='SET visits = :one',
    ExpressionAttributeValues={':one': 1}, ReturnValues='UPDATED_NEW')
return {'visits': int(result['Attributes']['visits'])}""",
            expect=["every visit wrote the same 1", "SET visits = :one writes", "ADD"],
        ),
    ],
    "06.4": [
        Mistake(
            "configures provisioned concurrency instead of reserving",
            solution='lam.put_provisioned_concurrency_config(FunctionName="noisy", '
            'Qualifier="$LATEST", ProvisionedConcurrentExecutions=2)',
            expect=["keeps environments initialised and warm", "does not cap", "reserve"],
        ),
    ],
    "06.5": [
        Mistake(
            "a new uuid as the charge id, with the condition",
            solution="""\
try:
    charge_id = str(uuid.uuid4())
    payments.put_item(Item={'charge_id': charge_id, 'payment_id': payment_id, 'amount': amount},
        ConditionExpression='attribute_not_exists(charge_id)')
except payments.meta.client.exceptions.ConditionalCheckFailedException:
    return False
return True""",
            expect=["the charge id differs on every call", "use the payment_id as the charge_id"],
        ),
    ],
    "06.6": [
        Mistake(
            "indents the JSON over several lines",
            solution="""\
print(json.dumps({'level': 'ERROR', 'message': 'refund above the limit',
       'request_id': context.aws_request_id, 'refund_id': event['refund_id']}, indent=2))""",
            expect=["over several lines", "without indent"],
        ),
        Mistake(
            "prints a prefix before the JSON",
            solution="""\
print('ERROR', json.dumps({'level': 'ERROR', 'message': 'refund above the limit',
       'request_id': context.aws_request_id, 'refund_id': event['refund_id']}))""",
            expect=["The line starts with 'ERROR ' before the JSON"],
        ),
    ],
}
