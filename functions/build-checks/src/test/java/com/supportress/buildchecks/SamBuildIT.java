package com.supportress.buildchecks;

import com.supportress.emulator.SamTemplate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Integration test (needs make, unzip and the JDK the build uses; no emulator): both documented deploy paths give
 * Lambda the same code, and that code does not depend on the build. `sam build` is played as SAM CLI plays a
 * {@code BuildMethod: makefile} function, for every function of template.yaml: {@code make --makefile
 * <checkout>/functions/Makefile build-<LogicalId>} in a scratch copy of its CodeUri (empty while it does not
 * exist yet), with this environment plus {@code ARTIFACTS_DIR}. It runs in a clean copy of the checkout, so the one
 * Maven build it triggers is also a second clean build, whose zips must equal this build's byte for byte.
 */
@Tag("sam-build")
class SamBuildIT {

    private static final Path ROOT = SamTemplate.repositoryRoot();
    private static final Pattern MODULE_CODE_URI = Pattern.compile("functions/([a-z0-9-]+)/target/\\1");
    private static final Set<String> NOT_COPIED = Set.of("target", ".git", ".aws-sam", ".idea");
    private static final String REACTOR_BUILD_LINE = "Building every function with Maven";

    @TempDir
    static Path work;

    private static SamTemplate template;
    private static Path checkout;
    private static final Map<String, Path> artifactDirs = new TreeMap<>();
    private static final StringBuilder makeOutput = new StringBuilder();

    @BeforeAll
    static void samBuildsEveryFunctionInACleanCopy() throws Exception {
        template = SamTemplate.load();
        checkout = copyCheckout(work.resolve("checkout"));
        for (String function : template.resourcesOfType("AWS::Serverless::Function").keySet()) {
            Path scratch = Files.createDirectories(work.resolve("scratch").resolve(function));
            Path codeUri = checkout.resolve(codeUri(function));
            if (Files.isDirectory(codeUri)) {
                copyTree(codeUri, scratch);
            }
            Path artifacts = Files.createDirectories(work.resolve("artifacts").resolve(function));
            makeOutput.append(runMake(function, scratch, artifacts));
            artifactDirs.put(function, artifacts);
        }
    }

    @Test
    void everyFunctionIsBuiltByTheMakefileFromItsModule() {
        template.resourcesOfType("AWS::Serverless::Function").forEach((function, resource) -> {
            Map<String, Object> metadata = SamTemplate.mapAt(resource, "Metadata");
            assertEquals("makefile", metadata.get("BuildMethod"), function + ": Metadata BuildMethod");
            assertEquals("functions", metadata.get("ContextPath"), function + ": Metadata ContextPath (where the Makefile is)");
            assertTrue(MODULE_CODE_URI.matcher(codeUri(function)).matches(),
                    function + ": CodeUri must be functions/<module>/target/<module>, the directory Maven assembles");
        });
    }

    @Test
    void oneMavenBuildServesEveryFunction() {
        assertEquals(1, makeOutput.toString().split(REACTOR_BUILD_LINE, -1).length - 1, makeOutput.toString());
    }

    @Test
    void samBuildGivesEachFunctionExactlyWhatPlainSamDeployUploads() throws IOException {
        for (Map.Entry<String, Path> built : artifactDirs.entrySet()) {
            Map<String, String> uploadedByPlainSamDeploy = treeDigests(checkout.resolve(codeUri(built.getKey())));
            assertSame(uploadedByPlainSamDeploy, treeDigests(built.getValue()), built.getKey() + ": ARTIFACTS_DIR and CodeUri");
            assertSame(uploadedByPlainSamDeploy, zipDigests(zipOf(checkout, built.getKey())), built.getKey() + ": the zip and CodeUri");
        }
    }

    @Test
    void everyHandlerClassIsInTheBuiltPackage() throws IOException {
        for (Map.Entry<String, Path> built : artifactDirs.entrySet()) {
            String handler = (String) template.functionProperties(built.getKey()).get("Handler");
            String classFile = handler.split("::")[0].replace('.', '/') + ".class";
            try (Stream<Path> jars = Files.list(built.getValue().resolve("lib"))) {
                assertTrue(jars.anyMatch(jar -> containsEntry(jar, classFile)), built.getKey() + ": no " + classFile + " in lib/*.jar");
            }
        }
    }

    @Test
    void twoCleanBuildsGiveByteIdenticalZips() throws IOException {
        Map<Path, String> checked = new TreeMap<>();
        for (String function : artifactDirs.keySet()) {
            Path zip = ROOT.relativize(zipOf(ROOT, function));
            assertTrue(Files.isRegularFile(ROOT.resolve(zip)), zip + " is missing: run ./mvnw verify from the top, which packages every function first");
            if (checked.putIfAbsent(zip, digest(ROOT.resolve(zip))) == null) {
                // Entry by entry first, so a failure names the jar that differs.
                assertSame(zipDigests(ROOT.resolve(zip)), zipDigests(checkout.resolve(zip)), zip + " of this build and of a clean one"
                        + " (target/ may hold files an earlier build left, such as a deleted resource: ./mvnw clean verify)");
                assertEquals(checked.get(zip), digest(checkout.resolve(zip)), zip + ": same entries, yet the zips differ (entry order, times or modes)");
            }
        }
        checked.forEach((zip, sha) -> System.out.printf("reproducible: %-52s %,12d bytes  sha256 %s%n",
                zip, size(ROOT.resolve(zip)), sha.substring(0, 16)));
    }

    /** Equal maps of path to digest, else a failure naming only the paths that differ. */
    private static void assertSame(Map<String, String> expected, Map<String, String> actual, String what) {
        Set<String> differing = new TreeSet<>(expected.keySet());
        differing.addAll(actual.keySet());
        differing.removeIf(path -> Objects.equals(expected.get(path), actual.get(path)));
        assertTrue(differing.isEmpty(), what + " differ in " + differing);
    }

    private static String runMake(String function, Path scratch, Path artifacts) throws IOException, InterruptedException {
        ProcessBuilder make = new ProcessBuilder(List.of("make", "--makefile",
                checkout.resolve("functions/Makefile").toString(), "build-" + function))
                .directory(scratch.toFile())
                .redirectErrorStream(true);
        // SAM passes its own environment on; these two are the outer Maven's launcher talking to itself.
        make.environment().remove("MAVEN_PROJECTBASEDIR");
        make.environment().remove("MAVEN_CMD_LINE_ARGS");
        // SAM runs in the user's shell, whose Maven runs on the JVM this build's Maven runs on (Failsafe set JAVA_HOME
        // to the toolchain JDK for this test JVM). The jar manifests name that JVM, so it must be the same one.
        Optional.ofNullable(System.getProperty("maven.java.home")).ifPresent(home -> make.environment().put("JAVA_HOME", home));
        make.environment().put("ARTIFACTS_DIR", artifacts.toString());
        Process process = make.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(20, TimeUnit.MINUTES) || process.exitValue() != 0) {
            fail("make build-" + function + " failed:\n" + output);
        }
        return output;
    }

    private static String codeUri(String function) {
        return (String) template.functionProperties(function).get("CodeUri");
    }

    private static Path zipOf(Path checkoutRoot, String function) {
        return checkoutRoot.resolve(codeUri(function) + ".zip");
    }

    /** The checkout as a fresh clone has it: sources only, no build output. */
    private static Path copyCheckout(Path target) throws IOException {
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (!dir.equals(ROOT) && NOT_COPIED.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(target.resolve(ROOT.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (!NOT_COPIED.contains(file.getFileName().toString())) {
                    Files.copy(file, target.resolve(ROOT.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return target;
    }

    private static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path copy = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(path, copy);
                }
            }
        }
    }

    /** Relative path to SHA-256 of every file under a directory: what SAM's directory checksum also covers. */
    private static Map<String, String> treeDigests(Path dir) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                digests.put(dir.relativize(file).toString().replace('\\', '/'), digest(file));
            }
        }
        return digests;
    }

    private static Map<String, String> zipDigests(Path zip) throws IOException {
        Map<String, String> digests = new TreeMap<>();
        try (ZipFile file = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : file.stream().filter(e -> !e.isDirectory()).toList()) {
                try (InputStream in = file.getInputStream(entry)) {
                    digests.put(entry.getName(), digest(in));
                }
            }
        }
        return digests;
    }

    private static boolean containsEntry(Path jar, String name) {
        try (ZipFile file = new ZipFile(jar.toFile())) {
            return file.getEntry(name) != null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return digest(in);
        }
    }

    private static String digest(InputStream in) throws IOException {
        try {
            DigestInputStream digesting = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"));
            digesting.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digesting.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
