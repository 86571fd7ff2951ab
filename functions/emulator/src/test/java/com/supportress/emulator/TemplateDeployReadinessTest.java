package com.supportress.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.supportress.shared.aws.SecondaryRegionBuckets;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Unit tier, no emulator: template.yaml is fit to deploy. Every /uploads route behind the JWT authorizer, least-privilege IAM (no CRUD policy templates, the second
 * region's buckets only while they are ours), private encrypted TLS-only buckets, encrypted deletion-protected tables
 * with PITR, every stateful resource retained, no placeholder secret, an ops topic alarms can publish to, a DLQ or
 * failure destination and an Errors alarm for every asynchronous or queue consumer, the alarms operations need, backup
 * locks as long as retention, reserved concurrency and route throttles for the channels people and providers use.
 * Each rule lists every offender.
 */
class TemplateDeployReadinessTest {

    // Actions AWS only grants on "*" (they have no resource to scope to).
    private static final Set<String> ACTIONS_WITHOUT_RESOURCES = Set.of(
            "cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords", "dynamodb:ListTables",
            "dynamodb:ListBackups", "s3:ListAllMyBuckets", "ses:GetAccount");
    // SAM policy templates that grant one action on the one resource they name. The others (DynamoDBCrudPolicy,
    // SESCrudPolicy, S3ReadPolicy, SQSSendMessagePolicy's SendMessage*, ...) grant actions no function here calls.
    private static final Set<String> EXACT_POLICY_TEMPLATES = Set.of(
            "AWSSecretsManagerGetSecretValuePolicy", "SNSPublishMessagePolicy", "KMSDecryptPolicy", "LambdaInvokePolicy");
    // The alarms operations cannot do without; each is an alarm whose Metadata.AlarmFor names the purpose.
    private static final Set<String> REQUIRED_ALARMS = Set.of("replication-lag", "backup-failure", "webhook-errors", "billing-credentials",
            "incident-mail-failed");
    private static final Set<String> ASYNC_EVENT_TYPES = Set.of("S3", "SNS", "EventBridgeRule", "CloudWatchEvent", "Schedule", "ScheduleV2");

    // Resources that hold data or guard it: a stack deletion or replacement must never take them along.
    private static final Set<String> STATEFUL_TYPES = Set.of("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::S3::BucketPolicy",
            "AWS::SecretsManager::Secret", "AWS::KMS::Key", "AWS::Cognito::UserPool", SecondaryRegionBuckets.RESOURCE_TYPE);
    // Event sources nobody waits on: a failing function is only noticed through its Errors metric.
    private static final Set<String> UNATTENDED_EVENT_TYPES = Set.of("SQS", "Schedule", "ScheduleV2", "EventBridgeRule",
            "CloudWatchEvent", "S3", "SNS", "Kinesis", "DynamoDB");
    // Which service principal publishes to a topic for each kind of resource that names it.
    private static final Map<String, String> TOPIC_PUBLISHERS = Map.of("AWS::CloudWatch::Alarm", "cloudwatch.amazonaws.com",
            "AWS::Events::Rule", "events.amazonaws.com", "AWS::S3::Bucket", "s3.amazonaws.com");
    private static final Pattern PLACEHOLDER = Pattern.compile("(?i)replace|change|placeholder|example|dummy|todo|whsec_|sk_live|sk_test|rk_live|rk_test");
    // TOKEN_USE names a claim value (id or access), not a credential.
    private static final Pattern CREDENTIAL_NAME = Pattern.compile("(?i)secret|password|token(?!_use)|key");

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
                    if (!EXACT_POLICY_TEMPLATES.contains(name)) {
                        offenders.add(id + " uses policy template " + name + ": state the actions it calls on its resources instead");
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
    void statementsOnTheSecondRegionsBucketsHoldOnlyWhileThoseBucketsBelongToThisAccount() {
        List<String> offenders = new ArrayList<>();
        int checked = 0;
        for (var function : template.resourcesOfType("AWS::Serverless::Function").entrySet()) {
            for (Object policy : list(SamTemplate.mapAt(function.getValue(), "Properties").get("Policies"))) {
                for (Object listed : policy instanceof Map<?, ?> map ? list(map.get("Statement")) : List.of()) {
                    Map<?, ?> statement = (Map<?, ?>) listed;
                    boolean secondRegion = list(statement.get("Resource")).stream().anyMatch(this::namesASecondRegionBucket);
                    // CreateBucket alone: the bucket has no owner yet to test, and a taken name fails.
                    if (!secondRegion || !"Allow".equals(statement.get("Effect")) || List.of("s3:CreateBucket").equals(list(statement.get("Action")))) {
                        continue;
                    }
                    checked++;
                    Object owner = SamTemplate.mapAt(SamTemplate.mapAt(map(statement), "Condition"), "StringEquals").get("s3:ResourceAccount");
                    if (!Map.of("Ref", "AWS::AccountId").equals(owner)) {
                        offenders.add(function.getKey() + " allows " + statement.get("Action") + " on " + statement.get("Resource")
                                + " without Condition StringEquals s3:ResourceAccount: !Ref AWS::AccountId");
                    }
                }
            }
        }
        assertTrue(checked > 0, "no statement on a second-region bucket found: the check has lost its target");
        assertEquals(List.of(), offenders);
    }

    @Test
    void noSecretIsWrittenIntoTheTemplate() {
        List<String> offenders = new ArrayList<>();
        template.resourcesOfType("AWS::SecretsManager::Secret").forEach((id, resource) -> {
            Map<String, Object> properties = SamTemplate.mapAt(resource, "Properties");
            if (properties.containsKey("SecretString")) {
                offenders.add(id + " has a SecretString: a value in the repository, or a placeholder that would verify");
            }
            Map<String, Object> generate = SamTemplate.mapAt(properties, "GenerateSecretString");
            Object template = generate.get("SecretStringTemplate");
            if (template != null) {
                try {
                    new ObjectMapper().readTree(String.valueOf(template)).properties().forEach(field -> {
                        if (CREDENTIAL_NAME.matcher(field.getKey()).find() || PLACEHOLDER.matcher(field.getValue().toString()).find()) {
                            offenders.add(id + " SecretStringTemplate sets " + field.getKey() + ": credentials are generated "
                                    + "(GenerateStringKey) or put in by an operator, never written here");
                        }
                    });
                } catch (JsonProcessingException e) {
                    offenders.add(id + " SecretStringTemplate is not JSON");
                }
            }
        });
        template.resourcesOfType("AWS::Serverless::Function").keySet().forEach(id ->
                SamTemplate.mapAt(SamTemplate.mapAt(template.functionProperties(id), "Environment"), "Variables").forEach((name, value) -> {
                    if (CREDENTIAL_NAME.matcher(name).find() && !name.endsWith("_ARN") || PLACEHOLDER.matcher(String.valueOf(value)).find()
                            && String.valueOf(value).matches("(?i).*(whsec_|sk_|rk_).*")) {
                        offenders.add(id + " sets " + name + " in its environment: pass a secret's ARN instead");
                    }
                }));
        assertEquals(List.of(), offenders);
    }

    @Test
    void everyTopicIsEncryptedWithAKeyOfThisStackThatItsPublishersMayUse() {
        List<String> offenders = new ArrayList<>();
        template.resourcesOfType("AWS::SNS::Topic").forEach((topic, resource) -> {
            String key = referencedResource(SamTemplate.mapAt(resource, "Properties").get("KmsMasterKeyId"));
            if (key == null || !"AWS::KMS::Key".equals(template.resources().get(key).get("Type"))) {
                offenders.add(topic + " is not encrypted with a KMS key of this stack (alias/aws/sns and other AWS-managed keys "
                        + "admit no publisher such as CloudWatch): " + SamTemplate.mapAt(resource, "Properties").get("KmsMasterKeyId"));
                return;
            }
            Map<String, Object> keyProperties = template.properties(key);
            if (!Boolean.TRUE.equals(keyProperties.get("EnableKeyRotation"))) {
                offenders.add(key + " does not rotate");
            }
            Set<String> publishers = new TreeSet<>();
            TOPIC_PUBLISHERS.forEach((type, service) -> template.resourcesOfType(type).values().forEach(publisher -> {
                if (publisher.toString().contains("Ref=" + topic + "}")) {
                    publishers.add(service);
                }
            }));
            for (String service : publishers) {
                boolean granted = list(SamTemplate.mapAt(keyProperties, "KeyPolicy").get("Statement")).stream().map(TemplateDeployReadinessTest::map)
                        .anyMatch(statement -> "Allow".equals(statement.get("Effect"))
                                && list(SamTemplate.mapAt(statement, "Principal").get("Service")).contains(service)
                                && list(statement.get("Action")).containsAll(List.of("kms:Decrypt", "kms:GenerateDataKey*"))
                                // EventBridge sends no source context to KMS; every other publisher is held to this account.
                                && (service.equals("events.amazonaws.com") || Map.of("Ref", "AWS::AccountId").equals(
                                        SamTemplate.mapAt(SamTemplate.mapAt(statement, "Condition"), "StringEquals").get("aws:SourceAccount"))));
                if (!granted) {
                    offenders.add(key + " does not let " + service + " (which publishes to " + topic + ") use it: kms:Decrypt and "
                            + "kms:GenerateDataKey* under aws:SourceAccount");
                }
            }
            if (publishers.isEmpty()) {
                offenders.add(topic + " has no publisher in this template");
            }
        });
        assertEquals(List.of(), offenders);
    }

    @Test
    void everyStatefulResourceIsRetainedOnDeleteAndReplace() {
        List<String> offenders = new ArrayList<>();
        template.resources().forEach((id, resource) -> {
            if (STATEFUL_TYPES.contains(String.valueOf(resource.get("Type")))
                    && !("Retain".equals(resource.get("DeletionPolicy")) && "Retain".equals(resource.get("UpdateReplacePolicy")))) {
                offenders.add(id + " (" + resource.get("Type") + ") lacks DeletionPolicy and UpdateReplacePolicy: Retain");
            }
        });
        assertEquals(List.of(), offenders);
    }

    @Test
    void everyScheduledOrQueueDrivenFunctionHasAnErrorsAlarm() {
        List<String> offenders = new ArrayList<>();
        Map<String, Map<String, Object>> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");
        template.resourcesOfType("AWS::Serverless::Function").keySet().forEach(id -> {
            boolean unattended = SamTemplate.mapAt(template.functionProperties(id), "Events").values().stream()
                    .anyMatch(event -> UNATTENDED_EVENT_TYPES.contains(String.valueOf(((Map<?, ?>) event).get("Type"))));
            boolean watched = alarms.values().stream().map(alarm -> SamTemplate.mapAt(alarm, "Properties"))
                    .anyMatch(alarm -> "AWS/Lambda".equals(alarm.get("Namespace")) && "Errors".equals(alarm.get("MetricName"))
                            && list(alarm.get("Dimensions")).contains(Map.of("Name", "FunctionName", "Value", Map.of("Ref", id))));
            if (unattended && !watched) {
                offenders.add(id + " runs on a schedule or a queue but no alarm watches its Errors");
            }
        });
        assertEquals(List.of(), offenders);
    }

    @Test
    void replicationLagAlarmTreatsAReconcilerThatReportsNothingAsBreaching() {
        List<Map<String, Object>> lag = template.resourcesOfType("AWS::CloudWatch::Alarm").values().stream()
                .filter(alarm -> "replication-lag".equals(SamTemplate.mapAt(alarm, "Metadata").get("AlarmFor")))
                .map(alarm -> SamTemplate.mapAt(alarm, "Properties")).toList();

        assertEquals(1, lag.size());
        assertEquals("breaching", lag.getFirst().get("TreatMissingData"));
    }

    @Test
    void backupLocksLastAsLongAsTheLongestRetentionInEveryEnvironmentAndPrunedVersionsOutliveThem() {
        List<String> offenders = new ArrayList<>();
        Map<String, Map<String, String>> environments = new TreeMap<>(Map.of("template defaults", Map.of(), "prod", samconfigOverrides("prod")));
        environments.forEach((environment, overrides) -> {
            int monthly = Integer.parseInt(overrides.getOrDefault("BackupKeepMonthly", defaultOf("BackupKeepMonthly")));
            int days = Integer.parseInt(overrides.getOrDefault("BackupObjectLockDays", defaultOf("BackupObjectLockDays")));
            if (days < 31 * monthly) {
                offenders.add(environment + ": BackupObjectLockDays " + days + " is shorter than BackupKeepMonthly " + monthly + " x 31 days");
            }
        });
        if (!"COMPLIANCE".equals(samconfigOverrides("prod").get("BackupObjectLockMode"))) {
            offenders.add("prod does not lock backups in COMPLIANCE mode");
        }
        Map<String, Object> primary = template.properties("BackupBucket");
        Map<String, Object> retention = SamTemplate.mapAt(SamTemplate.mapAt(SamTemplate.mapAt(primary, "ObjectLockConfiguration"), "Rule"), "DefaultRetention");
        if (!Map.of("Ref", "BackupObjectLockMode").equals(retention.get("Mode")) || !Map.of("Ref", "BackupObjectLockDays").equals(retention.get("Days"))) {
            offenders.add("BackupBucket's default retention does not use BackupObjectLockMode and BackupObjectLockDays: " + retention);
        }
        boolean purgedAfterLock = list(SamTemplate.mapAt(primary, "LifecycleConfiguration").get("Rules")).stream().map(TemplateDeployReadinessTest::map)
                .map(rule -> SamTemplate.mapAt(rule, "NoncurrentVersionExpiration").get("NoncurrentDays")).filter(Objects::nonNull)
                .allMatch(Map.of("Ref", "BackupObjectLockDays")::equals);
        if (!purgedAfterLock) {
            offenders.add("BackupBucket expires noncurrent versions sooner than BackupObjectLockDays");
        }
        template.resourcesOfType(SecondaryRegionBuckets.RESOURCE_TYPE).forEach((id, resource) ->
                list(SamTemplate.mapAt(resource, "Properties").get("Buckets")).stream().map(TemplateDeployReadinessTest::map)
                        .filter(bucket -> "BackupReplicaBucket".equals(bucket.get("Name")))
                        .forEach(bucket -> {
                            for (String property : List.of("ObjectLockMode", "ObjectLockDays", "NoncurrentVersionExpirationDays")) {
                                Object expected = property.equals("ObjectLockMode") ? retention.get("Mode") : retention.get("Days");
                                if (!expected.equals(bucket.get(property))) {
                                    offenders.add(id + " BackupReplicaBucket " + property + " is not its primary's: " + bucket.get(property));
                                }
                            }
                        }));
        assertEquals(List.of(), offenders);
    }

    @Test
    void intakeAndWebhookFunctionsHaveReservedConcurrencyAndEveryRouteOfThemAThrottle() {
        List<String> offenders = new ArrayList<>();
        int functions = 0;
        for (String id : template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            Map<String, Object> properties = template.functionProperties(id);
            var routes = SamTemplate.mapAt(properties, "Events").values().stream().map(TemplateDeployReadinessTest::map)
                    .filter(event -> "HttpApi".equals(event.get("Type"))).toList();
            boolean reportingChannel = routes.stream().map(event -> String.valueOf(SamTemplate.mapAt(event, "Properties").get("Path")))
                    .anyMatch(path -> path.equals("/incidents") || path.startsWith("/webhooks/"));
            if (!reportingChannel) {
                continue;
            }
            functions++;
            if (properties.get("ReservedConcurrentExecutions") == null) {
                offenders.add(id + " has no ReservedConcurrentExecutions: a flood elsewhere could starve it");
            }
            for (Map<String, Object> route : routes) {
                Map<String, Object> settings = SamTemplate.mapAt(SamTemplate.mapAt(route, "Properties"), "RouteSettings");
                if (settings.get("ThrottlingRateLimit") == null || settings.get("ThrottlingBurstLimit") == null) {
                    offenders.add(id + " route " + SamTemplate.mapAt(route, "Properties").get("Path") + " has no throttle of its own");
                }
            }
        }
        assertEquals(2, functions, "incident intake and billing webhooks");
        assertEquals(List.of(), offenders);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyUploadsRouteRequiresAJwtAuthorizerWithIssuerAndAudience() {
        Set<String> jwtAuthorizers = new TreeSet<>();
        template.resourcesOfType("AWS::Serverless::HttpApi").forEach((id, api) -> SamTemplate.mapAt(SamTemplate.mapAt(
                SamTemplate.mapAt(api, "Properties"), "Auth"), "Authorizers").forEach((name, authorizer) -> {
                    Map<String, Object> jwt = SamTemplate.mapAt((Map<String, Object>) authorizer, "JwtConfiguration");
                    if (jwt.get("issuer") != null && jwt.get("audience") != null) {
                        jwtAuthorizers.add(name);
                    }
                }));
        List<String> offenders = new ArrayList<>();
        int uploadRoutes = 0;
        for (LocalFunction function : LocalFunction.all(template)) {
            for (LocalFunction.Route route : function.routes()) {
                if (route.path().equals("/uploads") || route.path().startsWith("/uploads/")) {
                    uploadRoutes++;
                    if (route.authorizer().filter(jwtAuthorizers::contains).isEmpty()) {
                        offenders.add(function.logicalId() + " " + route.method() + " " + route.path() + " has no JWT authorizer (Auth.Authorizer one of "
                                + jwtAuthorizers + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), offenders);
        assertTrue(uploadRoutes > 0, "template.yaml serves /uploads");
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
    void everyTableIsEncryptedDeletionProtectedWithPointInTimeRecovery() {
        List<String> offenders = new ArrayList<>();
        template.resourcesOfType("AWS::DynamoDB::Table").forEach((id, resource) -> {
            Map<String, Object> properties = SamTemplate.mapAt(resource, "Properties");
            if (!Boolean.TRUE.equals(SamTemplate.mapAt(properties, "SSESpecification").get("SSEEnabled"))) {
                offenders.add(id + " lacks SSESpecification.SSEEnabled");
            }
            if (!Boolean.TRUE.equals(SamTemplate.mapAt(properties, "PointInTimeRecoverySpecification").get("PointInTimeRecoveryEnabled"))) {
                offenders.add(id + " lacks point-in-time recovery");
            }
            if (!Boolean.TRUE.equals(properties.get("DeletionProtectionEnabled"))) {
                offenders.add(id + " lacks DeletionProtectionEnabled");
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

    /**
     * Whether an IAM resource names a bucket the custom resource creates in the second region: through one of its
     * attributes ({@code ${SecondaryRegionBuckets.UploadReplicaBucket}}), or by its bucket name prefix.
     */
    private boolean namesASecondRegionBucket(Object resource) {
        String text = String.valueOf(resource);
        return template.resourcesOfType(SecondaryRegionBuckets.RESOURCE_TYPE).entrySet().stream().anyMatch(custom -> {
            Object prefix = SamTemplate.mapAt(SamTemplate.mapAt(custom.getValue(), "Properties"), "NamePrefix").get("Fn::Sub");
            return text.contains("${" + custom.getKey() + ".") || text.contains("Fn::GetAtt=[" + custom.getKey() + ",")
                    || prefix != null && text.contains("s3:::" + prefix);
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> found ? (Map<String, Object>) found : Map.of();
    }

    private String defaultOf(String parameter) {
        return String.valueOf(template.parameterDefault(parameter).orElseThrow(() -> new AssertionError("no parameter " + parameter)));
    }

    /** The parameter_overrides of one environment of samconfig.toml, the file `sam deploy --config-env` reads. */
    private static Map<String, String> samconfigOverrides(String environment) {
        try {
            String samconfig = Files.readString(SamTemplate.repositoryRoot().resolve("samconfig.toml"));
            Matcher section = Pattern.compile("(?s)\\[" + environment + "\\.deploy\\.parameters](.*?)(\\n\\[|$)").matcher(samconfig);
            assertTrue(section.find(), "samconfig.toml has no [" + environment + ".deploy.parameters]");
            Matcher overrides = Pattern.compile("(?m)^parameter_overrides\\s*=\\s*\"(.*)\"").matcher(section.group(1));
            assertTrue(overrides.find(), environment + " sets no parameter_overrides");
            return ParameterOverrides.parse(overrides.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
