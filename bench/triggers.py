"""Benchmark: triggers against direct warm invokes, in the same run.

1. N direct warm ``lambda.invoke`` calls (the baseline).
2. N S3 uploads to a bucket whose notification invokes a warm function, all processed
   (``sandbox.wait()``).
3. N SQS messages through an event source mapping with BatchSize 10, all processed.

Run: ``.venv/bin/python bench/triggers.py [N]`` (N = 1000 by default). It prints the
throughput of each path and its ratio to the direct invokes. No thresholds: the machine
is shared and noisy; compare runs on the same machine.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from lambdalab.sandbox import sandbox

HANDLER = """
def handler(event, context):
    return len(event.get("Records", []))
"""


def main(n: int = 1000) -> None:
    sb = sandbox()
    folder = Path(tempfile.mkdtemp()) / "fn"
    folder.mkdir()
    (folder / "app.py").write_text(HANDLER)
    fn = sb.deploy("bench-fn", folder)
    lam, s3, sqs = sb.client("lambda"), sb.client("s3"), sb.client("sqs")
    lam.invoke(FunctionName="bench-fn", Payload=b"{}")  # warm

    start = time.perf_counter()
    for _ in range(n):
        lam.invoke(FunctionName="bench-fn", Payload=b"{}")
    direct = time.perf_counter() - start

    s3.create_bucket(Bucket="bench-bucket")
    sb.client("lambda").add_permission(
        FunctionName="bench-fn",
        StatementId="s3-invoke",
        Action="lambda:InvokeFunction",
        Principal="s3.amazonaws.com",
        SourceArn=f"arn:aws:s3:::{'bench-bucket'}",
    )
    s3.put_bucket_notification_configuration(
        Bucket="bench-bucket",
        NotificationConfiguration={
            "LambdaFunctionConfigurations": [
                {"LambdaFunctionArn": fn["FunctionArn"], "Events": ["s3:ObjectCreated:*"]}
            ]
        },
    )
    before = len(sb.logs("bench-fn").reports)
    start = time.perf_counter()
    for i in range(n):
        s3.put_object(Bucket="bench-bucket", Key=f"upload/{i}.txt", Body=b"x")
    sb.wait(timeout=600)
    uploads = time.perf_counter() - start
    processed_s3 = len(sb.logs("bench-fn").reports) - before

    url = sqs.create_queue(QueueName="bench-queue")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    lam.create_event_source_mapping(EventSourceArn=arn, FunctionName="bench-fn", BatchSize=10)
    before = len(sb.logs("bench-fn").reports)
    start = time.perf_counter()
    for i in range(0, n, 10):
        entries = [{"Id": str(j), "MessageBody": f"m{i + j}"} for j in range(min(10, n - i))]
        sqs.send_message_batch(QueueUrl=url, Entries=entries)
    sb.wait(timeout=600)
    messages = time.perf_counter() - start
    batches = len(sb.logs("bench-fn").reports) - before
    left = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])

    print(f"direct warm invokes : {n} in {direct:.2f} s = {n / direct:8.0f} /s  (ratio 1.00)")
    print(
        f"S3 uploads -> Lambda: {n} in {uploads:.2f} s = {n / uploads:8.0f} /s  "
        f"(ratio {direct / uploads:.2f}; {processed_s3} invocations)"
    )
    print(
        f"SQS msgs, batch 10  : {n} in {messages:.2f} s = {n / messages:8.0f} /s  "
        f"(ratio {direct / messages:.2f}; {batches} invocations; "
        f"{left['Attributes']['ApproximateNumberOfMessages']} left in the queue)"
    )
    sb.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
