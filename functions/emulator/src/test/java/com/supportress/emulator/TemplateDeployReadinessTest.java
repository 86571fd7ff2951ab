package com.supportress.emulator;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Unit tier, no emulator: template.yaml is fit to deploy. Least-privilege IAM, private encrypted TLS-only
 * buckets, encrypted tables with PITR, a DLQ or failure destination for every asynchronous or queue
 * consumer, and the alarms operations need, all notifying the ops topic. Each rule lists every offender.
 */
class TemplateDeployReadinessTest {

    // Actions AWS only grants on "*" (they have no resource to scope to).
    private static final Set<String> ACTIONS_WITHOUT_RESOURCES = Set.of(
            "cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "dynamodb:ListTables",
            "dynamodb:ListBackups", "s3:ListAllMyBuckets", "ses:GetAccount");
    // SAM policy templates that take the one resource they grant on.
    private static final Set<String> SCOPED_POLICY_TEMPLATES = Set.of(
            "DynamoDBCrudPolicy", "DynamoDBReadPolicy", "DynamoDBWritePolicy", "DynamoDBBackupFullAccessPolicy",
            "DynamoDBRestoreFromBackupPolicy", "DynamoDBStreamReadPolicy", "S3CrudPolicy", "S3ReadPolicy", "S3WritePolicy",
            "S3FullAccessPolicy", "SQSPollerPolicy", "SQSSendMessagePolicy", "SESCrudPolicy", "SESSendBouncePolicy",
            "SNSPublishMessagePolicy", "SSMParameterReadPolicy", "SSMParameterWithSlashPrefixReadPolicy",
            "AWSSecretsManagerGetSecretValuePolicy", "KMSDecryptPolicy", "KMSEncryptPolicy", "LambdaInvokePolicy");
    // The alarms operations cannot do without; each is an alarm whose Metadata.AlarmFor names the purpose.
    private static final Set<String> REQUIRED_ALARMS = Set.of("replication-lag", "backup-failure", "webhook-errors", "incident-mail-failed");
    private static final Set<String> ASYNC_EVENT_TYPES = Set.of("S3", "SNS", "EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2");

    private final SamTemplate template = SamTemplate.load();

    @Test
    void iamGrantsNoWildcardActionsOrResourcesWhereAwsDoesNotRequireThem() {
        List<String> offenders = new ArrayList<>();
        template.resourcesOfType("AWS::Serverless::Function").forEach((id, resource) -> {
            for (Object policy : list(SamTemplate.mapAt(resource, "Properties").get("Policies"))) {
                if (policy instanceof String managed) {
                    offenders.add(id + " attaches managed policy " + managed);
                } else if (policy instanceof Map<?, ?> map && map.containsKey("Statement")) {
                    for (Object statement : list(map.get("Statement"))) {
                        checkStatement(id, (Map<?, ?>) statement, offenders);
                    }
                } else if (policy instanceof Map<?, ?> map) {
                    String name = (String) map.keySet().iterator().next();
                    if (!SCOPED_POLICY_TEMPLATES.contains(name)) {
                        offenders.add(id + " uses policy template " + name + ", not known to be scoped to one resource");
                    }
                }
            }
        });
        for (String type : List.of("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
            template.resourcesOfType(type).forEach((id, resource) -> offenders.add(id + ": declare permissions as function Policies"));
        }
        assertEquals(List.of(), offenders);
    }

    private static void checkStatement(String id, Map<?, ?> statement, List<String> offenders) {
        if (!"Allow".equals(statement.get("Effect"))) {
            return;
        }
        List<Object> actions = list(statement.get("Action"));
        for (Object action : actions) {
            if (String.valueOf(action).contains("*")) {
                offenders.add(id + " allows wildcard action " + action);
            }
        }
        for (Object resource : list(statement.get("Resource"))) {
            if ("*".equals(resource) && !ACTIONS_WITHOUT_RESOURCES.containsAll(actions)) {
                offenders.add(id + " allows " + actions + " on every resource");
            }
        }
    }

    @Test
    void everyBucketIsPrivateEncryptedAndTlsOnly() {
        List<String> offenders = new ArrayList<>();
        template.resourcesOfType("AWS::S3::Bucket").forEach((id, resource) -> {
            Map<String, Object> properties = SamTemplate.mapAt(resource, "Properties");
            Map<String, Object> publicAccess = SamTemplate.mapAt(properties, "PublicAccessBlockConfiguration");
            for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
                if (!Boolean.TRUE.equals(publicAccess.get(flag))) {
                    offenders.add(id + " lacks " + flag);
                }
            }
            if (SamTemplate.mapAt(properties, "BucketEncryption").isEmpty()) {
                offenders.add(id + " lacks BucketEncryption");
            }
            boolean tlsOnly = template.resourcesOfType("AWS::S3::BucketPolicy").values().stream()
                    .map(policy -> SamTemplate.mapAt(policy, "Properties"))
                    .filter(policy -> Map.of("Ref", id).equals(policy.get("Bucket")))
                    .anyMatch(policy -> policy.toString().contains("aws:SecureTransport") && policy.toString().contains("Deny"));
            if (!tlsOnly) {
                offenders.add(id + " has no bucket policy denying requests without aws:SecureTransport");
            }
        });
        assertEquals(List.of(), offenders);
    }

    @Test
    void everyTableIsEncryptedWithPointInTimeRecovery() {
        List<String> offenders = new ArrayList<>();
        template.resourcesOfType("AWS::DynamoDB::Table").forEach((id, resource) -> {
            Map<String, Object> properties = SamTemplate.mapAt(resource, "Properties");
            if (!Boolean.TRUE.equals(SamTemplate.mapAt(properties, "SSESpecification").get("SSEEnabled"))) {
                offenders.add(id + " lacks SSESpecification.SSEEnabled");
            }
            if (!Boolean.TRUE.equals(SamTemplate.mapAt(properties, "PointInTimeRecoverySpecification").get("PointInTimeRecoveryEnabled"))) {
                offenders.add(id + " lacks point-in-time recovery");
            }
        });
        assertEquals(List.of(), offenders);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyAsynchronousOrQueueConsumerHasADeadLetterQueueOrFailureDestination() {
        List<String> offenders = new ArrayList<>();
        template.resourcesOfType("AWS::Serverless::Function").forEach((id, resource) -> {
            Map<String, Object> properties = template.functionProperties(id);
            boolean functionHasFailureDestination = !SamTemplate.mapAt(SamTemplate.mapAt(SamTemplate.mapAt(properties,
                    "EventInvokeConfig"), "DestinationConfig"), "OnFailure").isEmpty() || properties.containsKey("DeadLetterQueue");
            SamTemplate.mapAt(properties, "Events").forEach((name, event) -> {
                Map<String, Object> definition = (Map<String, Object>) event;
                String type = (String) definition.get("Type");
                Map<String, Object> eventProperties = SamTemplate.mapAt(definition, "Properties");
                if ("SQS".equals(type)) {
                    String queue = referencedResource(eventProperties.get("Queue"));
                    if (queue == null || !SamTemplate.mapAt(template.properties(queue), "RedrivePolicy").containsKey("deadLetterTargetArn")) {
                        offenders.add(id + "." + name + " reads queue " + queue + ", which has no redrive policy");
                    }
                } else if (ASYNC_EVENT_TYPES.contains(type) && !eventProperties.containsKey("DeadLetterConfig") && !functionHasFailureDestination) {
                    offenders.add(id + "." + name + " (" + type + ") has neither a DeadLetterConfig nor an on-failure destination");
                }
            });
        });
        assertEquals(List.of(), offenders);
    }

    @Test
    void deadLetterQueuesAndCriticalFailuresHaveAlarmsNotifyingOperations() {
        List<String> offenders = new ArrayList<>();
        Map<String, Map<String, Object>> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");
        alarms.forEach((id, alarm) -> {
            if (!list(SamTemplate.mapAt(alarm, "Properties").get("AlarmActions")).contains(Map.of("Ref", "OpsAlertsTopic"))) {
                offenders.add(id + " does not notify OpsAlertsTopic");
            }
        });
        for (String queue : deadLetterQueues()) {
            boolean watched = alarms.values().stream().anyMatch(alarm -> list(SamTemplate.mapAt(alarm, "Properties").get("Dimensions")).stream()
                    .anyMatch(dimension -> queue.equals(referencedResource(((Map<?, ?>) dimension).get("Value")))));
            if (!watched) {
                offenders.add("no alarm on the depth of dead-letter queue " + queue);
            }
        }
        for (String purpose : REQUIRED_ALARMS) {
            boolean present = alarms.values().stream().anyMatch(alarm -> purpose.equals(SamTemplate.mapAt(alarm, "Metadata").get("AlarmFor")));
            if (!present) {
                offenders.add("no alarm with Metadata.AlarmFor: " + purpose);
            }
        }
        assertEquals(List.of(), offenders);
    }

    /** Queues named as a deadLetterTargetArn, and the queues SAM creates for schedules' DeadLetterConfig. */
    @SuppressWarnings("unchecked")
    private List<String> deadLetterQueues() {
        List<String> queues = new ArrayList<>();
        template.resourcesOfType("AWS::SQS::Queue").values().forEach(queue -> {
            String target = referencedResource(SamTemplate.mapAt(SamTemplate.mapAt(queue, "Properties"), "RedrivePolicy").get("deadLetterTargetArn"));
            if (target != null) {
                queues.add(target);
            }
        });
        template.resourcesOfType("AWS::Serverless::Function").keySet().forEach(id ->
                SamTemplate.mapAt(template.functionProperties(id), "Events").values().forEach(event -> {
                    Object queue = SamTemplate.mapAt(SamTemplate.mapAt((Map<String, Object>) event, "Properties"), "DeadLetterConfig").get("QueueLogicalId");
                    if (queue != null) {
                        queues.add((String) queue);
                    }
                }));
        return queues;
    }

    /** The logical id behind {@code !Ref X} or {@code !GetAtt X.Arn}. */
    private static String referencedResource(Object value) {
        if (value instanceof Map<?, ?> map && map.get("Ref") instanceof String ref) {
            return ref;
        }
        if (value instanceof Map<?, ?> map && map.get("Fn::GetAtt") instanceof List<?> parts) {
            return (String) parts.get(0);
        }
        return null;
    }

    private static List<Object> list(Object value) {
        if (value == null) {
            return List.of();
        }
        return value instanceof List<?> list ? new ArrayList<>(list) : List.of(value);
    }
}
