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
 * refuse. A refused HTTP request breaks the API's contract (openapi.yaml), unless {@code ValidRequest} says why a
 * request the contract describes is refused all the same (a token's claims, a method the route turns away).
 * {@code Metadata.WebhookPayloads} claims provider payloads that are request bodies rather than Lambda events.
 */
public final class RegisteredSamples {

    /** One registered sample: its file, why the function refuses it when it must, and why that is beyond the contract. */
    public record Sample(String functionLogicalId, Path file, Optional<String> refusal, Optional<String> validRequest) {
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
                        Optional.of(String.valueOf(refused.get("Refused"))), Optional.ofNullable((String) refused.get("ValidRequest"))));
            } else {
                samples.add(new Sample(functionLogicalId, root.resolve(String.valueOf(entry)), Optional.empty(), Optional.empty()));
            }
        }
        return samples;
    }

    /** Every file below events/ that some function's SampleEvents or WebhookPayloads names (globs allowed). */
    public static Set<Path> claimedFiles(SamTemplate template) {
        Set<Path> claimed = new TreeSet<>();
        for (String function : template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            of(template, function).forEach(sample -> claimed.add(sample.file()));
            claimed.addAll(webhookPayloads(template, function));
        }
        return claimed;
    }

    /** The files a function's WebhookPayloads names (globs allowed): request bodies as the providers send them. */
    @SuppressWarnings("unchecked")
    public static Set<Path> webhookPayloads(SamTemplate template, String functionLogicalId) {
        Path root = SamTemplate.repositoryRoot();
        Set<Path> payloads = new TreeSet<>();
        for (Object pattern : (List<Object>) metadata(template, functionLogicalId).getOrDefault("WebhookPayloads", List.of())) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            eventFiles().filter(file -> matcher.matches(root.relativize(file))).forEach(payloads::add);
        }
        return payloads;
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
