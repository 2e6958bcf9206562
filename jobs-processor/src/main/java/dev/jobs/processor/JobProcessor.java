package dev.jobs.processor;

import com.google.auto.service.AutoService;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.ElementFilter;
import javax.tools.Diagnostic;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * Generates a {@code dev.jobs.JobRegistration} for every {@code @Job} class and lists them all in
 * {@code META-INF/services/dev.jobs.JobRegistration}.
 *
 * <p>It also checks every {@code @Param} field (not static, transient or final), every persisted
 * field's type (one the state codec can write and read back) and a job's {@code validate()}
 * method, a job's {@code @Retry} and {@code @Recurring} (and {@code @Recurring} on a class without
 * {@code @Job}), and reports {@code @Job} on local classes, which javac does not hand to processors.
 *
 * <p>Errors are reported on the offending element and never thrown out of {@link #process}: a bad
 * job class gives a compile error that points at it, the other jobs are still generated. The
 * processor does not claim {@code @Job}, so other processors can see it too. It is an
 * "aggregating" processor for Gradle's incremental compilation, because the services file depends
 * on every job of the compilation.
 */
@AutoService(Processor.class)
public final class JobProcessor extends AbstractProcessor {

    static final String JOB_ANNOTATION = "dev.jobs.Job";
    static final String SERVICES_FILE = "META-INF/services/dev.jobs.JobRegistration";

    /** Job name to the class that took it, across rounds, to reject duplicates. */
    private final Map<String, TypeElement> jobsByName = new LinkedHashMap<>();

    private final List<String> generated = new ArrayList<>();
    private final List<Element> originating = new ArrayList<>();

    /** Fields and methods already reported, so one shared by several jobs is reported once. */
    private final Set<Element> reported = new HashSet<>();

    private Sources sources;

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        sources = Sources.of(env);
    }

    /**
     * Every annotation ("*"), not just {@code @Job} and {@code @Param}: javac calls a processor
     * only for rounds with an annotation it supports, and a {@code @Job} on a local class is not
     * one javac reports, so a source file whose only job is local would otherwise go unchecked. The
     * processor claims nothing, so other processors still see every annotation.
     */
    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of("*");
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        try {
            processRound(round);
        } catch (RuntimeException | Error e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            processingEnv
                    .getMessager()
                    .printMessage(
                            Diagnostic.Kind.ERROR,
                            "jobs-processor failed unexpectedly; please report this with the trace: " + trace);
        }
        return false;
    }

    private void processRound(RoundEnvironment round) {
        TypeElement jobAnnotation = processingEnv.getElementUtils().getTypeElement(JOB_ANNOTATION);
        if (jobAnnotation != null) {
            JobChecker checker = new JobChecker(processingEnv, sources, reported);
            for (Element element : round.getElementsAnnotatedWith(jobAnnotation)) {
                checker.check(element).ifPresent(this::register);
            }
            TypeElement param = processingEnv.getElementUtils().getTypeElement(SchemaBuilder.PARAM);
            if (param != null) {
                for (VariableElement field : ElementFilter.fieldsIn(round.getElementsAnnotatedWith(param))) {
                    checker.checkParamModifiers(field); // also on fields of classes without @Job
                }
            }
            sources.reportLocalJobs(round.getRootElements());
        }
        TypeElement recurring = processingEnv.getElementUtils().getTypeElement(RecurringChecker.RECURRING);
        if (recurring != null) {
            for (Element element : round.getElementsAnnotatedWith(recurring)) {
                if (jobAnnotation == null || !hasAnnotation(element, jobAnnotation)) {
                    processingEnv
                            .getMessager()
                            .printMessage(
                                    Diagnostic.Kind.ERROR,
                                    "@Recurring needs @Job on the same class; it schedules that job",
                                    element,
                                    RecurringChecker.recurringAnnotation(element));
                }
            }
        }
        if (round.processingOver() && !generated.isEmpty()) {
            writeServicesFile();
        }
    }

    private static boolean hasAnnotation(Element element, TypeElement annotation) {
        for (javax.lang.model.element.AnnotationMirror m : element.getAnnotationMirrors()) {
            if (m.getAnnotationType().asElement().equals(annotation)) {
                return true;
            }
        }
        return false;
    }

    private void register(JobModel job) {
        TypeElement previous = jobsByName.putIfAbsent(job.name(), job.element());
        if (previous != null) {
            processingEnv
                    .getMessager()
                    .printMessage(
                            Diagnostic.Kind.ERROR,
                            "duplicate job name '" + job.name() + "': " + previous.getQualifiedName()
                                    + " already uses it; give each @Job a unique name",
                            job.element(),
                            job.annotation());
            return;
        }
        Optional<String> written = new RegistrationWriter(processingEnv).write(job);
        written.ifPresent(name -> {
            generated.add(name);
            originating.add(job.element());
        });
    }

    private void writeServicesFile() {
        try {
            FileObject file = processingEnv
                    .getFiler()
                    .createResource(
                            StandardLocation.CLASS_OUTPUT, "", SERVICES_FILE, originating.toArray(new Element[0]));
            try (Writer out = file.openWriter()) {
                for (String name : generated) {
                    out.write(name);
                    out.write('\n');
                }
            }
        } catch (IOException e) {
            processingEnv
                    .getMessager()
                    .printMessage(Diagnostic.Kind.ERROR, "could not write " + SERVICES_FILE + ": " + e.getMessage());
        }
    }
}
