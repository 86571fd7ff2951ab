package com.supportress.local;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The shell commands of a Markdown file's fenced {@code bash}/{@code sh}/{@code shell} blocks, each with the line it
 * starts on, split as bash splits them: a command ends at a line end outside quotes and not after a backslash, so a
 * quoted JSON body over several lines stays one command; comments (a {@code #} starting a word outside quotes) go.
 */
final class ShellBlocks {

    private static final Set<String> SHELL = Set.of("bash", "sh", "shell");

    record Block(int line, List<Command> commands) {
    }

    record Command(int line, String text) {

        /** The words as bash would pass them: split on blanks outside quotes, quotes removed. */
        List<String> words() {
            List<String> words = new ArrayList<>();
            StringBuilder word = null;
            char quote = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote == 0 && Character.isWhitespace(c)) {
                    if (word != null) {
                        words.add(word.toString());
                        word = null;
                    }
                    continue;
                }
                if (word == null) {
                    word = new StringBuilder();
                }
                if (quote == 0 && (c == '\'' || c == '"')) {
                    quote = c;
                } else if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote != '\'' && i + 1 < text.length()) {
                    word.append(text.charAt(++i));
                } else {
                    word.append(c);
                }
            }
            if (word != null) {
                words.add(word.toString());
            }
            return words;
        }
    }

    private ShellBlocks() {
    }

    static List<Block> parse(List<String> markdown) {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < markdown.size(); i++) {
            String fence = markdown.get(i).strip();
            if (!fence.startsWith("```")) {
                continue;
            }
            boolean shell = SHELL.contains(fence.substring(3).strip());
            int start = i + 1;
            int end = start;
            while (end < markdown.size() && !markdown.get(end).strip().startsWith("```")) {
                end++;
            }
            if (shell) {
                blocks.add(new Block(start, split(start + 1, markdown.subList(start, end))));
            }
            i = end;
        }
        return blocks;
    }

    /** The commands of one block whose first line is line {@code firstLine} (1-based). */
    static List<Command> split(int firstLine, List<String> lines) {
        List<Command> commands = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int commandLine = 0;
        char quote = 0;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (current.isEmpty() && quote == 0) {
                if (line.isBlank() || line.strip().startsWith("#")) {
                    continue;
                }
                commandLine = firstLine + n;
            }
            StringBuilder kept = new StringBuilder();
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote == 0 && c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                    break;
                }
                kept.append(c);
                if (quote == 0 && (c == '\'' || c == '"')) {
                    quote = c;
                } else if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote != '\'' && i + 1 < line.length()) {
                    kept.append(line.charAt(++i));
                }
            }
            String text = kept.toString().stripTrailing();
            if (quote != 0) {
                current.append(kept).append('\n');
            } else if (text.endsWith("\\")) {
                // Backslash-newline joins the lines, as in bash.
                current.append(text, 0, text.length() - 1);
            } else {
                current.append(text);
                commands.add(new Command(commandLine, current.toString().strip()));
                current.setLength(0);
            }
        }
        if (!current.isEmpty()) {
            commands.add(new Command(commandLine, current.toString().strip()));
        }
        return commands;
    }
}
