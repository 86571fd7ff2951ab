package com.supportress.emulator;

import com.supportress.shared.aws.SecondaryRegionBuckets;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.model.GroupExistsException;
import software.amazon.awssdk.services.cognitoidentityprovider.model.SchemaAttributeType;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolClientDescription;
import software.amazon.awssdk.services.cognitoidentityprovider.model.UserPoolDescriptionType;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CORSRule;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.FilterRule;
import software.amazon.awssdk.services.s3.model.NotificationConfigurationFilter;
import software.amazon.awssdk.services.s3.model.QueueConfiguration;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Creates on the emulator what template.yaml declares, in an order that satisfies references (DLQs first, user pools
 * before their clients). Idempotent: on an emulator that already holds the stack (a running local suite) everything
 * that exists is kept as it is.
 */
final class StackProvisioner {

    private final EmulatedStack stack;

    StackProvisioner(EmulatedStack stack) {
        this.stack = stack;
    }

    void createAll() {
        var template = stack.template();
        template.resourcesOfType("AWS::DynamoDB::Table").keySet().forEach(this::createTable);
        var queues = template.resourcesOfType("AWS::SQS::Queue");
        queues.keySet().stream().filter(id -> !queues.get(id).toString().contains("RedrivePolicy")).forEach(this::createQueue);
        queues.keySet().stream().filter(id -> queues.get(id).toString().contains("RedrivePolicy")).forEach(this::createQueue);
        template.resourcesOfType("AWS::S3::Bucket").keySet().forEach(this::createBucket);
        template.resourcesOfType("AWS::SES::EmailIdentity").keySet().forEach(this::createEmailIdentity);
        // Topics by name (CreateTopic is idempotent); KMS encryption and email subscriptions are AWS's to honour.
        template.resourcesOfType("AWS::SNS::Topic").keySet().forEach(id -> stack.sns().createTopic(r -> r.name(stack.physicalName(id))));
        template.resourcesOfType(SecondaryRegionBuckets.RESOURCE_TYPE).keySet().forEach(this::createSecondaryRegionBuckets);
        template.resourcesOfType("AWS::SecretsManager::Secret").keySet().forEach(id -> EmulatedSecrets.create(stack, id));
        template.resourcesOfType("AWS::Cognito::UserPool").keySet().stream().filter(stack::deploys).forEach(this::createUserPool);
        template.resourcesOfType("AWS::Cognito::UserPoolClient").keySet().stream().filter(stack::deploys).forEach(this::createUserPoolClient);
        template.resourcesOfType("AWS::Cognito::UserPoolGroup").keySet().stream().filter(stack::deploys).forEach(this::createUserPoolGroup);
    }

    @SuppressWarnings("unchecked")
    private void createUserPoolGroup(String logicalId) {
        Map<String, Object> properties = (Map<String, Object>) stack.resolve(stack.template().properties(logicalId));
        try {
            stack.cognito().createGroup(r -> r.userPoolId((String) properties.get("UserPoolId"))
                    .groupName((String) properties.get("GroupName")).description((String) properties.get("Description")));
        } catch (GroupExistsException alreadyThere) {
            // The local suite's fixed stack name on an emulator that outlives it: keep the group.
        }
    }

    /** The pool as the template declares it (sign-in attributes, admin-only sign-up, password policy, custom attributes). */
    @SuppressWarnings("unchecked")
    private void createUserPool(String logicalId) {
        Map<String, Object> properties = (Map<String, Object>) stack.resolve(stack.template().properties(logicalId));
        String name = (String) properties.get("UserPoolName");
        var cognito = stack.cognito();
        String id = cognito.listUserPoolsPaginator(r -> r.maxResults(60)).userPools().stream()
                .filter(pool -> pool.name().equals(name)).map(UserPoolDescriptionType::id).findFirst()
                .orElseGet(() -> {
                    Map<String, Object> passwords = SamTemplate.mapAt(SamTemplate.mapAt(properties, "Policies"), "PasswordPolicy");
                    return cognito.createUserPool(r -> r.poolName(name)
                            .usernameAttributesWithStrings(strings(properties.get("UsernameAttributes")))
                            .autoVerifiedAttributesWithStrings(strings(properties.get("AutoVerifiedAttributes")))
                            .adminCreateUserConfig(c -> c.allowAdminCreateUserOnly(Boolean.TRUE.equals(
                                    SamTemplate.mapAt(properties, "AdminCreateUserConfig").get("AllowAdminCreateUserOnly"))))
                            .policies(p -> p.passwordPolicy(policy -> policy
                                    .minimumLength(passwords.get("MinimumLength") == null ? null : Integer.valueOf(String.valueOf(passwords.get("MinimumLength"))))
                                    .requireLowercase((Boolean) passwords.get("RequireLowercase"))
                                    .requireUppercase((Boolean) passwords.get("RequireUppercase"))
                                    .requireNumbers((Boolean) passwords.get("RequireNumbers"))
                                    .requireSymbols((Boolean) passwords.get("RequireSymbols"))))
                            .schema(list(properties.get("Schema")).stream().map(attribute -> SchemaAttributeType.builder()
                                    .name((String) attribute.get("Name"))
                                    .attributeDataType((String) attribute.get("AttributeDataType"))
                                    .mutable((Boolean) attribute.get("Mutable"))
                                    .build()).toList())).userPool().id();
                });
        stack.recordGeneratedId(logicalId, id);
    }

    @SuppressWarnings("unchecked")
    private void createUserPoolClient(String logicalId) {
        Map<String, Object> properties = (Map<String, Object>) stack.resolve(stack.template().properties(logicalId));
        String poolId = (String) properties.get("UserPoolId");
        String name = (String) properties.get("ClientName");
        var cognito = stack.cognito();
        String id = cognito.listUserPoolClientsPaginator(r -> r.userPoolId(poolId).maxResults(60)).userPoolClients().stream()
                .filter(client -> client.clientName().equals(name)).map(UserPoolClientDescription::clientId).findFirst()
                .orElseGet(() -> cognito.createUserPoolClient(r -> r.userPoolId(poolId).clientName(name)
                        .generateSecret(Boolean.TRUE.equals(properties.get("GenerateSecret")))
                        .explicitAuthFlowsWithStrings(strings(properties.get("ExplicitAuthFlows")))
                        .readAttributes(strings(properties.get("ReadAttributes")))
                        .writeAttributes(strings(properties.get("WriteAttributes")))).userPoolClient().clientId());
        stack.recordGeneratedId(logicalId, id);
    }

    /** What the custom resource does in AWS, reduced to what the emulator keeps: buckets in the second region. */
    @SuppressWarnings("unchecked")
    private void createSecondaryRegionBuckets(String logicalId) {
        Map<String, Object> properties = (Map<String, Object>) stack.resolve(stack.template().properties(logicalId));
        Region region = Region.of((String) properties.get("Region"));
        for (Map<String, Object> bucket : list(properties.get("Buckets"))) {
            String name = stack.getAttribute(logicalId, (String) bucket.get("Name"));
            boolean objectLock = bucket.get("ObjectLockMode") != null;
            var s3 = stack.s3(region);
            if (exists(s3, name)) {
                continue;
            }
            s3.createBucket(r -> r.bucket(name).objectLockEnabledForBucket(objectLock)
                    .createBucketConfiguration(c -> c.locationConstraint(region.id())));
            s3.putBucketVersioning(r -> r.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        }
    }

    @SuppressWarnings("unchecked")
    private void createTable(String logicalId) {
        Map<String, Object> properties = (Map<String, Object>) stack.resolve(stack.template().properties(logicalId));
        String name = stack.physicalName(logicalId);
        var request = CreateTableRequest.builder()
                .tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                // As in AWS: a template table refuses DeleteTable; tables code creates itself (restore scratch) do not.
                .deletionProtectionEnabled(Boolean.TRUE.equals(properties.get("DeletionProtectionEnabled")))
                .attributeDefinitions(list(properties.get("AttributeDefinitions")).stream()
                        .map(a -> AttributeDefinition.builder()
                                .attributeName((String) a.get("AttributeName"))
                                .attributeType((String) a.get("AttributeType")).build())
                        .toList())
                .keySchema(keySchema(properties.get("KeySchema")));
        List<Map<String, Object>> indexes = list(properties.get("GlobalSecondaryIndexes"));
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes.stream().map(index -> {
                Map<String, Object> projection = (Map<String, Object>) index.getOrDefault("Projection", Map.of("ProjectionType", "ALL"));
                return GlobalSecondaryIndex.builder()
                        .indexName((String) index.get("IndexName"))
                        .keySchema(keySchema(index.get("KeySchema")))
                        .projection(Projection.builder()
                                .projectionType((String) projection.get("ProjectionType"))
                                .nonKeyAttributes((List<String>) projection.get("NonKeyAttributes")).build())
                        .build();
            }).toList());
        }
        try {
            stack.dynamoDb().createTable(request.build());
        } catch (ResourceInUseException alreadyThere) {
            // The local suite's fixed stack name on an emulator that outlives it (LocalStack): keep the table.
            return;
        }
        Map<String, Object> pitr = (Map<String, Object>) properties.get("PointInTimeRecoverySpecification");
        if (pitr != null && Boolean.TRUE.equals(pitr.get("PointInTimeRecoveryEnabled"))) {
            stack.dynamoDb().updateContinuousBackups(r -> r.tableName(name)
                    .pointInTimeRecoverySpecification(s -> s.pointInTimeRecoveryEnabled(true)));
        }
        Map<String, Object> ttl = (Map<String, Object>) properties.get("TimeToLiveSpecification");
        if (ttl != null && Boolean.TRUE.equals(ttl.get("Enabled"))) {
            stack.dynamoDb().updateTimeToLive(r -> r.tableName(name)
                    .timeToLiveSpecification(s -> s.attributeName((String) ttl.get("AttributeName")).enabled(true)));
        }
    }

    private static List<KeySchemaElement> keySchema(Object keySchema) {
        return list(keySchema).stream()
                .map(k -> KeySchemaElement.builder()
                        .attributeName((String) k.get("AttributeName"))
                        .keyType((String) k.get("KeyType")).build())
                .toList();
    }

    @SuppressWarnings("unchecked")
    private void createQueue(String logicalId) {
        Map<String, Object> properties = (Map<String, Object>) stack.resolve(stack.template().properties(logicalId));
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        if (properties.get("VisibilityTimeout") != null) {
            attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(properties.get("VisibilityTimeout")));
        }
        if (properties.get("MessageRetentionPeriod") != null) {
            attributes.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, String.valueOf(properties.get("MessageRetentionPeriod")));
        }
        Map<String, Object> redrive = (Map<String, Object>) properties.get("RedrivePolicy");
        if (redrive != null) {
            attributes.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + redrive.get("deadLetterTargetArn")
                    + "\",\"maxReceiveCount\":" + redrive.get("maxReceiveCount") + "}");
        }
        stack.sqs().createQueue(r -> r.queueName(stack.physicalName(logicalId)).attributes(attributes));
    }

    private void createBucket(String logicalId) {
        String name = stack.physicalName(logicalId);
        var s3 = stack.s3();
        if (exists(s3, name)) {
            return;
        }
        boolean objectLock = Boolean.TRUE.equals(stack.template().properties(logicalId).get("ObjectLockEnabled"));
        s3.createBucket(r -> r.bucket(name).objectLockEnabledForBucket(objectLock));
        if (stack.template().properties(logicalId).containsKey("VersioningConfiguration")) {
            s3.putBucketVersioning(r -> r.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        }
        Map<String, Object> properties = stack.template().properties(logicalId);
        List<Map<String, Object>> corsRules = list(stack.resolve(SamTemplate.mapAt(properties, "CorsConfiguration").get("CorsRules")));
        if (!corsRules.isEmpty()) {
            s3.putBucketCors(r -> r.bucket(name).corsConfiguration(c -> c.corsRules(corsRules.stream()
                    .map(rule -> CORSRule.builder()
                            .allowedOrigins(strings(rule.get("AllowedOrigins")))
                            .allowedMethods(strings(rule.get("AllowedMethods")))
                            .allowedHeaders(strings(rule.get("AllowedHeaders")))
                            .exposeHeaders(strings(rule.get("ExposedHeaders")))
                            .maxAgeSeconds(rule.get("MaxAge") == null ? null : Integer.valueOf(String.valueOf(rule.get("MaxAge"))))
                            .build())
                    .toList())));
        }
        // S3 -> SQS notifications: moto delivers them (key URL-encoded, after an s3:TestEvent), as S3 does.
        List<Map<String, Object>> queues = list(stack.resolve(SamTemplate.mapAt(properties, "NotificationConfiguration").get("QueueConfigurations")));
        if (!queues.isEmpty()) {
            s3.putBucketNotificationConfiguration(r -> r.bucket(name).notificationConfiguration(n -> n.queueConfigurations(queues.stream()
                    .map(queue -> QueueConfiguration.builder()
                            .events(Event.fromValue((String) queue.get("Event")))
                            .queueArn((String) queue.get("Queue"))
                            .filter(keyFilter(queue.get("Filter")))
                            .build())
                    .toList())));
        }
    }

    @SuppressWarnings("unchecked")
    private static NotificationConfigurationFilter keyFilter(Object filter) {
        Object rules = filter == null ? null : SamTemplate.mapAt((Map<String, Object>) filter, "S3Key").get("Rules");
        if (rules == null) {
            return null;
        }
        return NotificationConfigurationFilter.builder().key(k -> k.filterRules(list(rules).stream()
                .map(rule -> FilterRule.builder().name((String) rule.get("Name")).value((String) rule.get("Value")).build())
                .toList())).build();
    }

    private static List<String> strings(Object value) {
        return value == null ? null : ((List<?>) value).stream().map(String::valueOf).toList();
    }

    private void createEmailIdentity(String logicalId) {
        try {
            stack.ses().createEmailIdentity(r -> r.emailIdentity(stack.physicalName(logicalId)));
        } catch (AlreadyExistsException alreadyThere) {
            // The stack is already up on this emulator (a running local suite): keep the identity.
        }
    }

    private static boolean exists(S3Client s3, String bucket) {
        try {
            s3.headBucket(r -> r.bucket(bucket));
            return true;
        } catch (NoSuchBucketException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return value == null ? List.of() : (List<Map<String, Object>>) value;
    }
}
