"""moto 5.2: TransactWriteItems ignores ClientRequestToken, so a retried transaction that had committed is cancelled.

DynamoDB: "If you submit a request with the same client token, DynamoDB returns success without making any
changes" within 10 minutes of the call that succeeded, and the same token with other parameters fails with
IdempotentParameterMismatchException (API reference, TransactWriteItems, ClientRequestToken). The AWS SDKs fill
the token in and keep it across retries, so a retry after a timeout whose first attempt committed succeeds.
moto: the token is never read. The same call sent twice runs twice, and a transaction guarded by
attribute_not_exists (the usual "create once") is cancelled on its retry.

    moto_server -p 5000 &
    python3 dynamodb_client_request_token.py http://127.0.0.1:5000

Prints what DynamoDB does and what moto did; exit status 1 when moto shows the bug, 0 when it behaves as DynamoDB.
"""
import sys
import uuid

import boto3
import botocore

endpoint = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
dynamodb = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")
table = "records-" + uuid.uuid4().hex[:8]
dynamodb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                      KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                      AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])


def create(token, owner):
    """The outcome of one TransactWriteItems that creates the record once, as the SDK's retry would send it."""
    try:
        dynamodb.transact_write_items(ClientRequestToken=token, TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": "record-1"}, "owner": {"S": owner}},
                     "ConditionExpression": "attribute_not_exists(pk)"}}])
        return "success"
    except botocore.exceptions.ClientError as e:
        return e.response["Error"]["Code"]


token = str(uuid.uuid4())
first = create(token, "a")
retry = create(token, "a")
other = create(token, "b")
print("expected: success, then success (the same token and request), then IdempotentParameterMismatchException")
print(f"actual:   {first}, then {retry}, then {other}")
if (first, retry, other) != ("success", "success", "IdempotentParameterMismatchException"):
    print("BUG: TransactWriteItems ignores ClientRequestToken")
    sys.exit(1)
