package com.supportress.local;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Unit tier: README's shell blocks split into commands as bash would run them; no emulator. */
class ShellBlocksTest {

    @Test
    void onlyShellBlocksAreReadWithTheLineEachCommandStartsOn() {
        List<ShellBlocks.Block> blocks = ShellBlocks.parse(List.of(
                "# Title",
                "```bash",
                "echo one   # a comment",
                "",
                "# a comment line",
                "echo two",
                "```",
                "```",
                "not a command",
                "```",
                "```yaml",
                "key: value",
                "```"));

        assertEquals(1, blocks.size());
        assertEquals(2, blocks.get(0).line());
        assertEquals(List.of(new ShellBlocks.Command(3, "echo one"), new ShellBlocks.Command(6, "echo two")), blocks.get(0).commands());
    }

    @Test
    void quotedTextOverSeveralLinesAndContinuationsStayOneCommand() {
        List<ShellBlocks.Command> commands = ShellBlocks.split(10, List.of(
                "curl -i http://127.0.0.1:3000/incidents \\",
                "  -H 'Content-Type: application/json' -d '{\"a\":1,",
                "       \"b\":\"# not a comment\"}'",
                "curl -s x | python3 -c \\",
                "  'print(1)'"));

        assertEquals(2, commands.size());
        assertEquals(10, commands.get(0).line());
        assertEquals("curl -i http://127.0.0.1:3000/incidents   -H 'Content-Type: application/json' -d '{\"a\":1,\n"
                + "       \"b\":\"# not a comment\"}'", commands.get(0).text());
        assertEquals(13, commands.get(1).line());
        assertEquals("curl -s x | python3 -c   'print(1)'", commands.get(1).text());
    }

    @Test
    void wordsAreSplitAsBashSplitsThem() {
        assertEquals(List.of("AWS_ENDPOINT_URL=http://127.0.0.1:5000", "./mvnw", "-q", "-Plocal", "-Dinvoke=BackupFunction events/backup/daily.json"),
                new ShellBlocks.Command(1, "AWS_ENDPOINT_URL=http://127.0.0.1:5000 ./mvnw -q -Plocal -Dinvoke=\"BackupFunction events/backup/daily.json\"").words());
        assertEquals(List.of("a b", "c\"d", "e"), new ShellBlocks.Command(1, "'a b' \"c\\\"d\"  e").words());
    }
}
