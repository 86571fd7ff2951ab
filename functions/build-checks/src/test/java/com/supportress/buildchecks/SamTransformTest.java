package com.supportress.buildchecks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.supportress.emulator.SamTemplate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Unit test (needs the Python that has cfn-lint and its aws-sam-translator: MOTO_PYTHON, else python3; no emulator):
 * template.yaml as CloudFormation receives it after `sam deploy` packaged it (CodeUri an S3 object) and the SAM
 * transform expanded it, for Stage=dev and Stage=prod. Prod deploys the traffic-serving functions through CodeDeploy
 * canaries that roll back on their alarms; dev deploys at once; both expansions lint clean (cycles included).
 */
class SamTransformTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PYTHON = System.getenv().getOrDefault("MOTO_PYTHON", "python3");
    private static final String TRANSFORM = String.join("\n",
            "import json, sys",
            "from cfnlint.decode import decode",
            "from samtranslator.translator.transform import transform",
            "template, errors = decode(sys.argv[1])",
            "if errors: sys.exit('cannot read the template: %s' % errors)",
            "for name, resource in template['Resources'].items():",
            "    if resource.get('Type') == 'AWS::Serverless::Function':",
            "        resource['Properties']['CodeUri'] = 's3://package-bucket/' + name  # as sam package leaves it",
            "class NoManagedPolicies:",
            "    def load(self): return {}",
            "print(json.dumps(transform(template, json.loads(sys.argv[2]), NoManagedPolicies()), default=str))");

    @TempDir
    static Path work;

    private static SamTemplate template;
    private static final Map<String, JsonNode> byStage = new HashMap<>();

    @BeforeAll
    static void transformForEachStage() throws Exception {
        assumeTrue(run(List.of(PYTHON, "-c", "import cfnlint, samtranslator")).exitCode() == 0,
                "no cfn-lint in " + PYTHON + " (set MOTO_PYTHON to the Python that has it): pip install cfn-lint");
        template = SamTemplate.load();
        for (String stage : List.of("dev", "prod")) {
            Result transformed = run(List.of(PYTHON, "-c", TRANSFORM, template.file().toString(), "{\"Stage\": \"" + stage + "\"}"));
            assertEquals(0, transformed.exitCode(), "the SAM transform failed for Stage=" + stage + ":\n" + transformed.output());
            byStage.put(stage, JSON.readTree(transformed.stdout()));
        }
    }

    @Test
    void devDeploysWithoutCodeDeploy() {
        assertEquals(List.of(), resourcesOfType(byStage.get("dev"), "AWS::CodeDeploy::Application"));
        assertEquals(List.of(), resourcesOfType(byStage.get("dev"), "AWS::CodeDeploy::DeploymentGroup"));
    }

    @Test
    void prodShiftsTrafficThroughCodeDeployAndRollsBackOnTheFunctionsAlarms() {
        JsonNode resources = byStage.get("prod").path("Resources");
        assertEquals(1, resourcesOfType(byStage.get("prod"), "AWS::CodeDeploy::Application").size());
        assertTrue(resources.path("CodeDeployServiceRole").path("Properties").path("ManagedPolicyArns").toString()
                .contains("AWSCodeDeployRoleForLambda"), "SAM creates CodeDeploy's role");
        List<String> canaried = canariedFunctions();
        assertFalse(canaried.isEmpty());
        for (String function : canaried) {
            JsonNode group = resources.path(function + "DeploymentGroup").path("Properties");
            assertTrue(group.path("DeploymentConfigName").toString().contains("Canary10Percent5Minutes"), function);
            List<String> alarms = new ArrayList<>();
            group.path("AlarmConfiguration").path("Alarms").forEach(alarm -> alarms.add(alarm.path("Name").path("Ref").asText()));
            assertEquals(declaredAlarms(function), alarms, function + ": rollback alarms");
            alarms.forEach(alarm -> assertEquals("AWS::CloudWatch::Alarm", resources.path(alarm).path("Type").asText(), alarm));
            assertTrue(resources.path(function + "Aliaslive").path("UpdatePolicy").has("CodeDeployLambdaAliasUpdate"),
                    function + ": the live alias moves through CodeDeploy");
        }
    }

    /** A canary needs traffic to judge: HTTP and queue functions shift gradually, scheduled and operator-only ones do not. */
    @Test
    void exactlyTheFunctionsThatServeTrafficAreCanaried() {
        List<String> servingTraffic = new ArrayList<>();
        template.resourcesOfType("AWS::Serverless::Function").forEach((function, resource) -> {
            Map<String, Object> events = SamTemplate.mapAt(SamTemplate.mapAt(resource, "Properties"), "Events");
            if (events.values().stream().anyMatch(event -> List.of("HttpApi", "Api", "SQS").contains(((Map<?, ?>) event).get("Type")))) {
                servingTraffic.add(function);
            }
        });
        assertEquals(new TreeSet<>(servingTraffic), new TreeSet<>(canariedFunctions()));
    }

    @Test
    void bothExpansionsLintClean() throws Exception {
        for (Map.Entry<String, JsonNode> expanded : byStage.entrySet()) {
            Path file = work.resolve("transformed-" + expanded.getKey() + ".json");
            Files.writeString(file, expanded.getValue().toString());
            // W7001: the transform has consumed the mapping that DeploymentPreference reads.
            Result lint = run(List.of(PYTHON, "-c", "import sys; from cfnlint.runner import main; sys.exit(main())",
                    "--ignore-checks", "W7001", "--", file.toString()));
            assertEquals(0, lint.exitCode(), "Stage=" + expanded.getKey() + ":\n" + lint.output());
        }
    }

    private static List<String> canariedFunctions() {
        List<String> canaried = new ArrayList<>();
        template.resourcesOfType("AWS::Serverless::Function").forEach((function, resource) -> {
            if (!SamTemplate.mapAt(SamTemplate.mapAt(resource, "Properties"), "DeploymentPreference").isEmpty()) {
                canaried.add(function);
            }
        });
        return canaried;
    }

    private static List<String> declaredAlarms(String function) {
        Map<String, Object> preference = SamTemplate.mapAt(template.functionProperties(function), "DeploymentPreference");
        List<String> alarms = new ArrayList<>();
        for (Object alarm : (List<?>) preference.getOrDefault("Alarms", List.of())) {
            alarms.add(String.valueOf(((Map<?, ?>) alarm).get("Ref")));
        }
        return alarms;
    }

    private static List<String> resourcesOfType(JsonNode transformed, String type) {
        List<String> names = new ArrayList<>();
        transformed.path("Resources").properties().forEach(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                names.add(entry.getKey());
            }
        });
        return names;
    }

    private record Result(int exitCode, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }
    }

    private static Result run(List<String> command) throws IOException, InterruptedException {
        Path stderr = Files.createTempFile(work, "stderr", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(stderr.toFile());
        // The transform asks boto3 for the region behind AWS::Region.
        builder.environment().putIfAbsent("AWS_DEFAULT_REGION", "us-east-1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Result(-1, "", e.getMessage());
        }
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return new Result(process.exitValue(), stdout, Files.readString(stderr));
    }
}
