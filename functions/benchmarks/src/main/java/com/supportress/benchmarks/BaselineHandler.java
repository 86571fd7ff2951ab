package com.supportress.benchmarks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The plain-Java baseline: no framework, clients built in static fields, and per invocation the same
 * SDK calls the function under test makes, listed in template.yaml's Metadata.Benchmark.BaselineCalls
 * and passed here as BASELINE_CALLS, e.g. {@code dynamodb-put:INCIDENT_REPORTS_TABLE:id ses-send:SENDER_EMAIL:SECURITY_TEAM_EMAIL}
 * (each argument after the call's name is the environment variable holding a name, or a key attribute).
 */
public class BaselineHandler implements RequestHandler<Map<String, Object>, String> {

    private static final Map<String, String> ENV = System.getenv();
    private static final Region REGION = Region.of(ENV.get("AWS_REGION"));
    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ENV.get("AWS_ACCESS_KEY_ID"), ENV.get("AWS_SECRET_ACCESS_KEY")));
    private static final URI ENDPOINT = URI.create(ENV.get("AWS_ENDPOINT_URL"));
    private static final List<String[]> CALLS = List.of(ENV.getOrDefault("BASELINE_CALLS", "").trim().split("\\s+"))
            .stream().filter(call -> !call.isEmpty()).map(call -> call.split(":")).toList();

    private static DynamoDbClient dynamoDb;
    private static SesV2Client ses;
    private static S3Client s3;
    private static SqsClient sqs;

    static {
        for (String[] call : CALLS) {
            switch (call[0].substring(0, call[0].indexOf('-'))) {
                case "dynamodb" -> dynamoDb = DynamoDbClient.builder().region(REGION).credentialsProvider(CREDENTIALS)
                        .endpointOverride(ENDPOINT).httpClient(UrlConnectionHttpClient.create()).build();
                case "ses" -> ses = SesV2Client.builder().region(REGION).credentialsProvider(CREDENTIALS)
                        .endpointOverride(ENDPOINT).httpClient(UrlConnectionHttpClient.create()).build();
                case "s3" -> s3 = S3Client.builder().region(REGION).credentialsProvider(CREDENTIALS).forcePathStyle(true)
                        .endpointOverride(ENDPOINT).httpClient(UrlConnectionHttpClient.create()).build();
                case "sqs" -> sqs = SqsClient.builder().region(REGION).credentialsProvider(CREDENTIALS)
                        .endpointOverride(ENDPOINT).httpClient(UrlConnectionHttpClient.create()).build();
                default -> throw new IllegalArgumentException("unknown baseline call " + call[0]);
            }
        }
    }

    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        for (String[] call : CALLS) {
            switch (call[0]) {
                case "dynamodb-put" -> dynamoDb.putItem(r -> r.tableName(ENV.get(call[1]))
                        .item(Map.of(call[2], AttributeValue.fromS("baseline-" + UUID.randomUUID()), "payload", AttributeValue.fromS("x"))));
                case "dynamodb-get" -> dynamoDb.getItem(r -> r.tableName(ENV.get(call[1]))
                        .key(Map.of(call[2], AttributeValue.fromS("baseline"))));
                case "ses-send" -> ses.sendEmail(r -> r.fromEmailAddress(ENV.get(call[1]))
                        .destination(d -> d.toAddresses(ENV.get(call[2])))
                        .content(c -> c.simple(m -> m.subject(s -> s.data("baseline")).body(b -> b.text(t -> t.data("baseline"))))));
                case "s3-put" -> s3.putObject(r -> r.bucket(ENV.get(call[1])).key("baseline/" + UUID.randomUUID()), RequestBody.fromString("x"));
                case "s3-head" -> s3.listObjectsV2(r -> r.bucket(ENV.get(call[1])).maxKeys(1));
                case "sqs-send" -> sqs.sendMessage(r -> r.queueUrl(ENV.get(call[1])).messageBody("baseline"));
                default -> throw new IllegalArgumentException("unknown baseline call " + call[0]);
            }
        }
        return "ok";
    }
}
