package com.supportress.emulator;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Integration tier: template.yaml stood up on the emulator (moto unless AWS_ENDPOINT_URL is set). */
@Tag("emulator")
class EmulatedStackIT {

    @Test
    void createsEveryTableOfTheTemplateUnderTheStackName() {
        EmulatedStack stack = EmulatedStack.create(Map.of());
        var tables = stack.dynamoDb().listTables().tableNames();
        for (String logicalId : stack.template().resourcesOfType("AWS::DynamoDB::Table").keySet()) {
            assertTrue(tables.contains(stack.stackName() + "-" + logicalId), logicalId + " missing from " + tables);
        }
    }

    @Test
    void templateTablesAreDeletionProtectedWhileATableCreatedLaterCanStillBeDropped() {
        EmulatedStack stack = EmulatedStack.create(Map.of());
        for (String logicalId : stack.template().resourcesOfType("AWS::DynamoDB::Table").keySet()) {
            String table = stack.physicalName(logicalId);
            assertTrue(stack.dynamoDb().describeTable(r -> r.tableName(table)).table().deletionProtectionEnabled(), logicalId);
            assertThrows(DynamoDbException.class, () -> stack.dynamoDb().deleteTable(r -> r.tableName(table)), logicalId);
        }
        String scratch = stack.stackName() + "-verify-scratch";
        stack.dynamoDb().createTable(r -> r.tableName(scratch).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("pk").keyType(KeyType.HASH)));
        stack.dynamoDb().deleteTable(r -> r.tableName(scratch));
    }

    @Test
    void functionEnvironmentResolvesReferencesToLocalNames() {
        EmulatedStack stack = EmulatedStack.create(Map.of("SecurityTeamEmail", "team@example.org"));
        var environment = stack.environment("IncidentIntakeFunction");
        assertEquals(stack.stackName() + "-IncidentReportsTable", environment.require("INCIDENT_REPORTS_TABLE"));
        assertEquals("team@example.org", environment.require("SECURITY_TEAM_EMAIL"));
        assertEquals(stack.endpoint().toString(), environment.require("AWS_ENDPOINT_URL"));
        assertEquals("-XX:+TieredCompilation -XX:TieredStopAtLevel=1", environment.require("JAVA_TOOL_OPTIONS"), "Globals are merged in");
    }

    @Test
    void secondRegionBucketsExistInTheSecondRegion() {
        EmulatedStack stack = EmulatedStack.create(Map.of());
        String replica = stack.getAttribute("SecondaryRegionBuckets", "UploadReplicaBucket");
        assertEquals((stack.stackName() + "-" + Emulator.accountId() + "-uploadreplicabucket"), replica);
        var location = stack.s3(stack.secondaryRegion()).getBucketLocation(r -> r.bucket(replica)).locationConstraintAsString();
        assertEquals(stack.secondaryRegion().id(), location);
    }
}
