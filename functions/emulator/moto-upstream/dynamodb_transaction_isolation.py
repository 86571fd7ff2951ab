"""moto 5.2: a cancelled TransactWriteItems undoes the writes other requests made while it ran.

DynamoDB: transactions are serializable with every other write. A cancelled transaction changes nothing, a
write that succeeded stays, and a key created under attribute_not_exists can be created only once.
moto: DynamoDBBackend.transact_write_items takes no lock. It deep-copies every table it touches before it checks
anything and, when a condition fails, puts those copies back, undoing what other requests wrote to those tables
meanwhile. Below, one thread creates 100 keys with conditional puts (each acknowledged) while another runs
transactions that are cancelled: acknowledged keys vanish, and the same conditional put then succeeds a second
time. (A copy taken while another request adds an item can also fail with "dictionary changed size during
iteration", a 500 the SDKs retry.)

    moto_server -p 5000 &
    python3 dynamodb_transaction_isolation.py http://127.0.0.1:5000

Prints what DynamoDB does and what moto did; exit status 1 when moto shows the bug, 0 when it behaves as DynamoDB.
"""
import sys
import threading

import boto3
import botocore

endpoint = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5000"
dynamodb = boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test")
for table in ("claims", "history"):
    dynamodb.create_table(TableName=table, BillingMode="PAY_PER_REQUEST",
                          KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
# Some data in the second table: moto takes a while to copy it, and that is when the claims get lost.
for batch in range(80):
    dynamodb.batch_write_item(RequestItems={"history": [
        {"PutRequest": {"Item": {"pk": {"S": f"old-{batch}-{i}"}, "tags": {"SS": [f"t{n}" for n in range(50)]}}}}
        for i in range(25)]})


def claim(key):
    """True when the conditional put created the key, False when the key already existed."""
    try:
        dynamodb.put_item(TableName="claims", Item={"pk": {"S": key}}, ConditionExpression="attribute_not_exists(pk)")
        return True
    except botocore.exceptions.ClientError as e:
        if e.response["Error"]["Code"] == "ConditionalCheckFailedException":
            return False
        raise


claimed = []
writing = threading.Event()
writing.set()


def claim_keys():
    for n in range(100):
        if claim(f"key-{n}"):
            claimed.append(f"key-{n}")
    writing.clear()


def cancelled_transactions():
    # The first condition fails, so DynamoDB cancels each of these and changes nothing.
    while writing.is_set():
        try:
            dynamodb.transact_write_items(TransactItems=[
                {"ConditionCheck": {"TableName": "claims", "Key": {"pk": {"S": "no-such-key"}},
                                    "ConditionExpression": "attribute_exists(pk)"}},
                {"ConditionCheck": {"TableName": "history", "Key": {"pk": {"S": "old-0-0"}},
                                    "ConditionExpression": "attribute_exists(pk)"}}])
        except botocore.exceptions.ClientError as e:
            if e.response["Error"]["Code"] != "TransactionCanceledException":
                raise


threads = [threading.Thread(target=claim_keys), threading.Thread(target=cancelled_transactions)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

stored = dynamodb.scan(TableName="claims", Select="COUNT", ConsistentRead=True)["Count"]
claimed_again = [key for key in claimed if claim(key)]
print(f"expected: {len(claimed)} keys claimed and stored, none of them can be claimed again")
print(f"actual:   {len(claimed)} keys claimed, {stored} stored, {len(claimed_again)} claimed a second time")
if stored != len(claimed) or claimed_again:
    print("BUG: a cancelled transaction undid committed writes")
    sys.exit(1)
