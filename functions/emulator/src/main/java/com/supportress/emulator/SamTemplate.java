package com.supportress.emulator;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * template.yaml as data: the single source of truth for resource names, function handlers, routes and
 * environment variables. CloudFormation's short tags ({@code !Ref}, {@code !Sub}, ...) are read as
 * their long forms ({@code {Ref: ...}}, {@code {Fn::Sub: ...}}), so {@link Intrinsics} sees one shape.
 */
public record SamTemplate(Path file, Map<String, Object> root) {

    private static final List<String> SHORT_FUNCTIONS = List.of(
            "Base64", "Cidr", "FindInMap", "GetAtt", "GetAZs", "ImportValue", "Join", "Select", "Split", "Sub",
            "Transform", "And", "Equals", "If", "Not", "Or");

    /** The template at the root of the repository: found by walking up from the working directory. */
    public static SamTemplate load() {
        return load(repositoryRoot().resolve("template.yaml"));
    }

    public static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("template.yaml")) && Files.isDirectory(candidate.resolve("functions"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no template.yaml above " + dir);
    }

    @SuppressWarnings("unchecked")
    public static SamTemplate load(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Map<String, Object> root = new Yaml(new CloudFormationConstructor()).load(reader);
            return new SamTemplate(file, root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public Map<String, Map<String, Object>> resources() {
        return section("Resources");
    }

    public Map<String, Map<String, Object>> parameters() {
        return section("Parameters");
    }

    public Map<String, Object> conditions() {
        return mapAt(root, "Conditions");
    }

    /** Resources of one type, such as {@code AWS::DynamoDB::Table}, in template order. */
    public Map<String, Map<String, Object>> resourcesOfType(String type) {
        Map<String, Map<String, Object>> matching = new LinkedHashMap<>();
        resources().forEach((id, resource) -> {
            if (type.equals(resource.get("Type"))) {
                matching.put(id, resource);
            }
        });
        return matching;
    }

    public Map<String, Object> properties(String logicalId) {
        Map<String, Object> resource = resources().get(logicalId);
        if (resource == null) {
            throw new IllegalArgumentException("template.yaml has no resource " + logicalId);
        }
        return mapAt(resource, "Properties");
    }

    /** Globals.Function merged under one function's properties, as SAM does (maps merge, the function wins). */
    public Map<String, Object> functionProperties(String logicalId) {
        Map<String, Object> merged = new LinkedHashMap<>(mapAt(mapAt(root, "Globals"), "Function"));
        properties(logicalId).forEach((key, value) -> merged.merge(key, value, SamTemplate::mergeGlobal));
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Object mergeGlobal(Object global, Object local) {
        if (global instanceof Map<?, ?> globalMap && local instanceof Map<?, ?> localMap) {
            Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) globalMap);
            ((Map<String, Object>) localMap).forEach((key, value) -> merged.merge(key, value, SamTemplate::mergeGlobal));
            return merged;
        }
        return local;
    }

    public Optional<Object> parameterDefault(String name) {
        return Optional.ofNullable(parameters().get(name)).map(parameter -> parameter.get("Default"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Map<String, Object>> section(String name) {
        return (Map<String, Map<String, Object>>) (Map<String, ?>) mapAt(root, name);
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> mapAt(Map<String, Object> map, String key) {
        Object value = map == null ? null : map.get(key);
        return value instanceof Map<?, ?> found ? (Map<String, Object>) found : Map.of();
    }

    /** Reads {@code !Ref X} as {@code {Ref: X}} and {@code !Fn X} as {@code {Fn::Fn: X}}; {@code !GetAtt A.B} as a list. */
    private static final class CloudFormationConstructor extends SafeConstructor {

        CloudFormationConstructor() {
            super(new LoaderOptions());
            yamlConstructors.put(new Tag("!Ref"), new LongForm("Ref"));
            yamlConstructors.put(new Tag("!Condition"), new LongForm("Condition"));
            for (String function : SHORT_FUNCTIONS) {
                yamlConstructors.put(new Tag("!" + function), new LongForm("Fn::" + function));
            }
        }

        private final class LongForm extends AbstractConstruct {
            private final String key;

            LongForm(String key) {
                this.key = key;
            }

            @Override
            public Object construct(Node node) {
                Object value = switch (node) {
                    case ScalarNode scalar -> key.equals("Fn::GetAtt")
                            ? List.of(scalar.getValue().split("\\.", 2))
                            : scalar.getValue();
                    case SequenceNode sequence -> constructSequence(sequence);
                    case MappingNode mapping -> constructMapping(mapping);
                    default -> throw new IllegalArgumentException("unexpected YAML node for " + key);
                };
                return Map.of(key, value);
            }
        }
    }
}
