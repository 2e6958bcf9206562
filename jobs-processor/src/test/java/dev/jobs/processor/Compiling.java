package dev.jobs.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.jobs.JobHandler;
import dev.jobs.JobRegistration;
import javax.tools.JavaFileObject;

/** Compiles sources with the processor, and loads what it generated. */
final class Compiling {
    private Compiling() {}

    static Compilation compile(JavaFileObject... sources) {
        return javac().withProcessors(new JobProcessor()).compile(sources);
    }

    static JavaFileObject source(String name, String... lines) {
        return JavaFileObjects.forSourceLines(name, lines);
    }

    /** A job {@code test.<simpleName>} in a file of its own: {@code package test; import dev.jobs.*;} and the lines. */
    static JavaFileObject job(String simpleName, String... lines) {
        String[] all = new String[lines.length + 5];
        all[0] = "package test;";
        all[1] = "import dev.jobs.*;";
        all[2] = "import java.nio.file.Path;";
        all[3] = "import java.time.*;";
        all[4] = "import java.util.*;";
        System.arraycopy(lines, 0, all, 5, lines.length);
        return source("test." + simpleName, all);
    }

    /** The generated registration of {@code test.<simpleName>}. */
    @SuppressWarnings("unchecked")
    static JobRegistration<JobHandler<?>> registration(Compilation compilation, String simpleName) {
        try {
            return (JobRegistration<JobHandler<?>>) new InMemoryClassLoader(compilation)
                    .loadClass("test." + simpleName + "_JobRegistration")
                    .getConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("no registration for " + simpleName + ": " + compilation.diagnostics(), e);
        }
    }
}
