package com.supportress.emulator;

import com.supportress.shared.aws.AwsSettings;
import com.supportress.shared.aws.SecondaryRegionBuckets;
import com.supportress.shared.config.FunctionApplication;
import com.supportress.shared.config.FunctionEnvironment;
import io.micronaut.context.ApplicationContext;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cognitoidentityprovider.CognitoIdentityProviderClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * template.yaml stood up on the emulator under a stack name: every table, bucket, queue and SES
 * identity it declares is created, and each function gets the environment Lambda would give it,
 * with names resolved from the same template. Tests use a fresh stack name each, so they never
 * share state and need no emulator reset (which LocalStack would not offer anyway).
 */
public final class EmulatedStack {

    public static final Region REGION = Region.US_EAST_1;

    private final SamTemplate template;
    private final String stackName;
    private final URI endpoint;
    private final Map<String, String> parameterOverrides;
    private final Intrinsics intrinsics;
    private final AwsSettings settings;
    private final SdkHttpClient httpClient = UrlConnectionHttpClient.create();
    private final Map<Region, S3Client> s3Clients = new HashMap<>();
    // Ids the emulator generates (user pools, app clients), which no name in the template can predict.
    private final Map<String, String> generatedIds = new ConcurrentHashMap<>();
    private CognitoIdentityProviderClient cognito;
    private DynamoDbClient dynamoDb;
    private SqsClient sqs;
    private SesV2Client ses;
    private SnsClient sns;

    private EmulatedStack(SamTemplate template, String stackName, URI endpoint, Map<String, String> parameterOverrides) {
        this.template = template;
        this.stackName = stackName;
        this.endpoint = endpoint;
        this.parameterOverrides = Map.copyOf(parameterOverrides);
        this.intrinsics = new Intrinsics(this::ref, this::getAtt, template.conditions());
        this.settings = AwsSettings.from(FunctionEnvironment.of(awsVariables()));
    }

    /** A new stack with a unique name on the emulator, its resources created. */
    public static EmulatedStack create(Map<String, String> parameterOverrides) {
        return create("t" + UUID.randomUUID().toString().substring(0, 8), parameterOverrides);
    }

    public static EmulatedStack create(String stackName, Map<String, String> parameterOverrides) {
        return create(Emulator.endpoint(), stackName, parameterOverrides);
    }

    /** The stack on a given emulator; if that emulator already holds it, what exists is kept. */
    public static EmulatedStack create(URI endpoint, String stackName, Map<String, String> parameterOverrides) {
        EmulatedStack stack = new EmulatedStack(SamTemplate.load(), stackName, endpoint, parameterOverrides);
        new StackProvisioner(stack).createAll();
        return stack;
    }

    public SamTemplate template() {
        return template;
    }

    public String stackName() {
        return stackName;
    }

    public URI endpoint() {
        return endpoint;
    }

    public AwsSettings awsSettings() {
        return settings;
    }

    /** Whether CloudFormation would create this resource: it has no Condition, or its Condition holds. */
    public boolean deploys(String logicalId) {
        Object condition = template.resources().getOrDefault(logicalId, Map.of()).get("Condition");
        return condition == null || intrinsics.condition((String) condition);
    }

    void recordGeneratedId(String logicalId, String id) {
        generatedIds.put(logicalId, id);
    }

    /** A template value, such as a property, with its intrinsic functions evaluated locally. */
    public Object resolve(Object value) {
        return intrinsics.resolve(value);
    }

    /** What {@code !Ref} gives for a resource, e.g. the id the emulator gave a user pool or app client. */
    public String refOf(String logicalId) {
        return String.valueOf(ref(logicalId));
    }

    public String parameter(String name) {
        Object value = ref(name);
        return value instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value);
    }

    /** The name of a table, bucket or queue, as its function sees it. */
    public String physicalName(String logicalId) {
        Map<String, Object> resource = template.resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        Map<String, Object> properties = SamTemplate.mapAt(resource, "Properties");
        String type = (String) resource.get("Type");
        String explicitName = switch (type) {
            case "AWS::DynamoDB::Table" -> (String) resolve(properties.get("TableName"));
            case "AWS::S3::Bucket" -> (String) resolve(properties.get("BucketName"));
            case "AWS::SQS::Queue" -> (String) resolve(properties.get("QueueName"));
            case "AWS::SES::EmailIdentity" -> (String) resolve(properties.get("EmailIdentity"));
            default -> null;
        };
        if (explicitName != null) {
            return explicitName;
        }
        String generated = stackName + "-" + logicalId;
        return type.equals("AWS::S3::Bucket") ? generated.toLowerCase(Locale.ROOT) : generated;
    }

    /** The environment variables Lambda would give this function, pointed at the emulator. */
    @SuppressWarnings("unchecked")
    public FunctionEnvironment environment(String functionLogicalId) {
        Map<String, Object> properties = template.functionProperties(functionLogicalId);
        Map<String, Object> variables = SamTemplate.mapAt(SamTemplate.mapAt(properties, "Environment"), "Variables");
        Map<String, String> environment = new LinkedHashMap<>(awsVariables());
        environment.put("AWS_LAMBDA_FUNCTION_NAME", stackName + "-" + functionLogicalId);
        ((Map<String, Object>) resolve(variables)).forEach((name, value) -> environment.put(name, String.valueOf(value)));
        return FunctionEnvironment.of(environment);
    }

    /** The Micronaut context a function's handler runs in, as in Lambda; extra singletons (a clock) replace defaults. */
    public ApplicationContext start(String functionLogicalId, Object... singletons) {
        return FunctionApplication.builder(environment(functionLogicalId)).singletons(singletons).start();
    }

    private Map<String, String> awsVariables() {
        return Map.of(
                "AWS_REGION", REGION.id(),
                "AWS_ENDPOINT_URL", endpoint.toString(),
                "AWS_ACCESS_KEY_ID", Emulator.ACCESS_KEY,
                "AWS_SECRET_ACCESS_KEY", Emulator.SECRET_KEY);
    }

    private Object ref(String name) {
        switch (name) {
            case "AWS::Region":
                return REGION.id();
            case "AWS::AccountId":
                return Emulator.accountId();
            case "AWS::StackName":
                return stackName;
            case "AWS::Partition":
                return "aws";
            case "AWS::URLSuffix":
                return "amazonaws.com";
            case "AWS::NoValue":
                return null;
            default:
                break;
        }
        if (generatedIds.containsKey(name)) {
            return generatedIds.get(name);
        }
        if (parameterOverrides.containsKey(name)) {
            return parameterValue(name, parameterOverrides.get(name));
        }
        if (template.parameters().containsKey(name)) {
            Object fallback = template.parameterDefault(name)
                    .orElseThrow(() -> new IllegalStateException("parameter " + name + " has no default; pass it to the stack"));
            return parameterValue(name, String.valueOf(fallback));
        }
        String type = (String) template.resources().getOrDefault(name, Map.of()).get("Type");
        if ("AWS::SQS::Queue".equals(type)) {
            return endpoint + "/" + Emulator.accountId() + "/" + physicalName(name);
        }
        if ("AWS::SNS::Topic".equals(type)) {
            return "arn:aws:sns:" + REGION.id() + ":" + Emulator.accountId() + ":" + physicalName(name);
        }
        return physicalName(name);
    }

    private Object parameterValue(String name, String value) {
        String type = String.valueOf(template.parameters().getOrDefault(name, Map.of()).get("Type"));
        return type.startsWith("List<") || type.equals("CommaDelimitedList")
                ? List.of(value.split("\\s*,\\s*"))
                : value;
    }

    /** A resource attribute, as {@code !GetAtt logicalId.attribute} gives it to a function. */
    public String getAttribute(String logicalId, String attribute) {
        return String.valueOf(getAtt(logicalId, attribute));
    }

    /** The second region (template parameter SecondaryRegion), where replicas and backup copies live. */
    public Region secondaryRegion() {
        return Region.of(parameter("SecondaryRegion"));
    }

    @SuppressWarnings("unchecked")
    private Object getAtt(String logicalId, String attribute) {
        String type = (String) template.resources().getOrDefault(logicalId, Map.of()).get("Type");
        if (SecondaryRegionBuckets.RESOURCE_TYPE.equals(type)) {
            Map<String, Object> properties = (Map<String, Object>) resolve(template.properties(logicalId));
            return SecondaryRegionBuckets.bucketName((String) properties.get("NamePrefix"), attribute);
        }
        String name = physicalName(logicalId);
        return switch (attribute) {
            case "Arn" -> switch (String.valueOf(type)) {
                case "AWS::DynamoDB::Table" -> "arn:aws:dynamodb:" + REGION.id() + ":" + Emulator.accountId() + ":table/" + name;
                case "AWS::SQS::Queue" -> "arn:aws:sqs:" + REGION.id() + ":" + Emulator.accountId() + ":" + name;
                case "AWS::S3::Bucket" -> "arn:aws:s3:::" + name;
                default -> "arn:aws:local:" + REGION.id() + ":" + Emulator.accountId() + ":" + name;
            };
            case "QueueName" -> name;
            case "QueueUrl" -> ref(logicalId);
            case "DomainName" -> name + ".s3.amazonaws.com";
            default -> name + "." + attribute;
        };
    }

    public synchronized DynamoDbClient dynamoDb() {
        if (dynamoDb == null) {
            dynamoDb = settings.build(DynamoDbClient.builder(), httpClient);
        }
        return dynamoDb;
    }

    public S3Client s3() {
        return s3(REGION);
    }

    public synchronized S3Client s3(Region region) {
        return s3Clients.computeIfAbsent(region, r -> settings.build(S3Client.builder().forcePathStyle(true), httpClient, r));
    }

    public synchronized SqsClient sqs() {
        if (sqs == null) {
            sqs = settings.build(SqsClient.builder(), httpClient);
        }
        return sqs;
    }

    public synchronized SnsClient sns() {
        if (sns == null) {
            sns = settings.build(SnsClient.builder(), httpClient);
        }
        return sns;
    }

    public synchronized CognitoIdentityProviderClient cognito() {
        if (cognito == null) {
            cognito = settings.build(CognitoIdentityProviderClient.builder(), httpClient);
        }
        return cognito;
    }

    public synchronized SesV2Client ses() {
        if (ses == null) {
            ses = settings.build(SesV2Client.builder(), httpClient);
        }
        return ses;
    }
}
