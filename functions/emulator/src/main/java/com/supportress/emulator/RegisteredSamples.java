package com.supportress.emulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The sample events template.yaml registers for each function under {@code Metadata.SampleEvents}: a path below the
 * repository (the function must take it), or {@code {Event: path, Refused: why}} for a request the function must
 * refuse. {@code Metadata.WebhookPayloads} claims provider payloads that are request bodies rather than Lambda events.
 */
public final class RegisteredSamples {

    /** One registered sample: its file, and why the function refuses it when it must. */
    public record Sample(String functionLogicalId, Path file, Optional<String> refusal) {
    }

    private RegisteredSamples() {
    }

    @SuppressWarnings("unchecked")
    public static List<Sample> of(SamTemplate template, String functionLogicalId) {
        Path root = SamTemplate.repositoryRoot();
        List<Sample> samples = new ArrayList<>();
        for (Object entry : (List<Object>) metadata(template, functionLogicalId).getOrDefault("SampleEvents", List.of())) {
            if (entry instanceof Map<?, ?> refused) {
                samples.add(new Sample(functionLogicalId, root.resolve(String.valueOf(refused.get("Event"))),
                        Optional.of(String.valueOf(refused.get("Refused")))));
            } else {
                samples.add(new Sample(functionLogicalId, root.resolve(String.valueOf(entry)), Optional.empty()));
            }
        }
        return samples;
    }

    /** Every file below events/ that some function's SampleEvents or WebhookPayloads names (globs allowed). */
    @SuppressWarnings("unchecked")
    public static Set<Path> claimedFiles(SamTemplate template) {
        Path root = SamTemplate.repositoryRoot();
        Set<Path> claimed = new TreeSet<>();
        for (String function : template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            of(template, function).forEach(sample -> claimed.add(sample.file()));
            for (Object pattern : (List<Object>) metadata(template, function).getOrDefault("WebhookPayloads", List.of())) {
                PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
                eventFiles().filter(file -> matcher.matches(root.relativize(file))).forEach(claimed::add);
            }
        }
        return claimed;
    }

    /** Every JSON file below the repository's events/ folder. */
    public static Stream<Path> eventFiles() {
        try (Stream<Path> files = Files.walk(SamTemplate.repositoryRoot().resolve("events"))) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> metadata(SamTemplate template, String functionLogicalId) {
        return SamTemplate.mapAt(template.resources().get(functionLogicalId), "Metadata");
    }
}
