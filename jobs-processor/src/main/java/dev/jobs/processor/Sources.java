package dev.jobs.processor;

import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.ImportTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.lang.reflect.Field;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.tools.Diagnostic;

/**
 * What the processor reads from the source trees, through javac's Tree API: field initializers
 * (a parameter with one is optional, and its value is the schema's default) and {@code @Job} on
 * local classes, which javac never hands to a processor.
 *
 * <p>The Tree API belongs to javac. Under another compiler, or a build tool that wraps javac's
 * processing environment in a way this class cannot see through, it is {@link #available() not
 * available}: then a parameter is required unless it says {@code required = false}, the schema
 * shows no defaults, and local classes are not reported.
 */
final class Sources {

    private final Trees trees;
    private final Set<CompilationUnitTree> scanned = new HashSet<>();

    private Sources(Trees trees) {
        this.trees = trees;
    }

    static Sources of(ProcessingEnvironment env) {
        try {
            return new Sources(trees(env, 0));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new Sources(null);
        }
    }

    /**
     * javac's Trees, looking through wrappers of the processing environment (Gradle wraps it for
     * incremental processing) by the field that holds the environment they wrap.
     */
    private static Trees trees(ProcessingEnvironment env, int depth) throws ReflectiveOperationException {
        try {
            return Trees.instance(env);
        } catch (IllegalArgumentException e) {
            if (depth < 3) {
                for (Class<?> c = env.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                    for (Field field : c.getDeclaredFields()) {
                        if (ProcessingEnvironment.class.isAssignableFrom(field.getType())) {
                            field.setAccessible(true);
                            Object inner = field.get(env);
                            if (inner instanceof ProcessingEnvironment wrapped && inner != env) {
                                return trees(wrapped, depth + 1);
                            }
                        }
                    }
                }
            }
            return null;
        }
    }

    boolean available() {
        return trees != null;
    }

    /** Whether the element was parsed from source in this compilation (so a message can point at it). */
    boolean inSource(Element element) {
        return trees != null && trees.getPath(element) != null;
    }

    /**
     * The field's initializer: empty when it has none, or when the source cannot be read (then
     * {@link #hasInitializer} is empty too).
     */
    Optional<ExpressionTree> initializer(VariableElement field) {
        if (trees == null) {
            return Optional.empty();
        }
        Tree tree = trees.getTree(field);
        return tree instanceof VariableTree variable
                ? Optional.ofNullable(variable.getInitializer())
                : Optional.empty();
    }

    /** Whether the field is declared with an initializer; empty if the source cannot be read. */
    Optional<Boolean> hasInitializer(VariableElement field) {
        if (trees == null || !(trees.getTree(field) instanceof VariableTree variable)) {
            return Optional.empty();
        }
        return Optional.of(variable.getInitializer() != null);
    }

    /**
     * Whether a constructor or an instance initializer block of one of these classes may assign
     * the field (by a simple name or {@code this.name}), so that its initializer is not
     * necessarily the value a new job starts with. True when the source cannot be read.
     */
    boolean assignedOutsideDeclaration(VariableElement field, Set<TypeElement> classes) {
        if (trees == null) {
            return true;
        }
        String name = field.getSimpleName().toString();
        boolean[] assigned = {false};
        for (TypeElement type : classes) {
            Tree tree = trees.getTree(type);
            if (!(tree instanceof ClassTree classTree)) {
                if (!type.getQualifiedName().contentEquals("java.lang.Object")) {
                    return true; // compiled elsewhere: cannot tell
                }
                continue;
            }
            for (Tree member : classTree.getMembers()) {
                boolean constructor =
                        member instanceof MethodTree m && m.getName().contentEquals("<init>");
                boolean initializer = member instanceof BlockTree b && !b.isStatic();
                if (constructor || initializer) {
                    new TreeScanner<Void, Void>() {
                        @Override
                        public Void visitAssignment(AssignmentTree node, Void unused) {
                            check(node.getVariable());
                            return super.visitAssignment(node, unused);
                        }

                        @Override
                        public Void visitCompoundAssignment(CompoundAssignmentTree node, Void unused) {
                            check(node.getVariable());
                            return super.visitCompoundAssignment(node, unused);
                        }

                        @Override
                        public Void visitUnary(UnaryTree node, Void unused) {
                            switch (node.getKind()) {
                                case PREFIX_INCREMENT, POSTFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_DECREMENT ->
                                    check(node.getExpression());
                                default -> {}
                            }
                            return super.visitUnary(node, unused);
                        }

                        @Override
                        public Void visitClass(ClassTree node, Void unused) {
                            return null; // a class inside a constructor assigns its own fields
                        }

                        private void check(ExpressionTree target) {
                            if ((target instanceof IdentifierTree id
                                            && id.getName().contentEquals(name))
                                    || (target instanceof MemberSelectTree select
                                            && select.getIdentifier().contentEquals(name)
                                            && select.getExpression().toString().equals("this"))) {
                                assigned[0] = true;
                            }
                        }
                    }.scan(member, null);
                }
            }
        }
        return assigned[0];
    }

    /**
     * Reports every {@code @Job} on a class declared inside a method, initializer or lambda of the
     * compilation units of these elements (each unit once). javac does not give such classes to
     * processors, so without this they would silently get no registration.
     */
    void reportLocalJobs(Set<? extends Element> roots) {
        if (trees == null) {
            return;
        }
        for (Element root : roots) {
            if (!(root instanceof TypeElement)) {
                continue;
            }
            TreePath path = trees.getPath(root);
            if (path == null || !scanned.add(path.getCompilationUnit())) {
                continue;
            }
            CompilationUnitTree unit = path.getCompilationUnit();
            boolean imported = importsJob(unit);
            if (!imported) {
                continue; // only a unit that imports @Job is scanned (a qualified @dev.jobs.Job is not found)
            }
            new TreePathScanner<Void, Void>() {
                @Override
                public Void visitClass(ClassTree tree, Void unused) {
                    if (isJob(tree, imported) && isLocal(getCurrentPath())) {
                        trees.printMessage(
                                Diagnostic.Kind.ERROR,
                                "@Job class " + tree.getSimpleName()
                                        + " is a local class, which annotation processors never see, so it would get no"
                                        + " registration; move it out of the method as a top-level or static nested class",
                                tree,
                                unit);
                    }
                    return super.visitClass(tree, unused);
                }
            }.scan(unit, null);
        }
    }

    private static boolean isJob(ClassTree tree, boolean imported) {
        return tree.getModifiers().getAnnotations().stream()
                .map(a -> a.getAnnotationType().toString())
                .anyMatch(name -> name.equals(JobProcessor.JOB_ANNOTATION) || (imported && name.equals("Job")));
    }

    /** Whether {@code Job} in this unit means {@code dev.jobs.Job}. */
    private static boolean importsJob(CompilationUnitTree unit) {
        if (unit.getPackageName() != null && unit.getPackageName().toString().equals("dev.jobs")) {
            return true;
        }
        for (ImportTree i : unit.getImports()) {
            String name = i.getQualifiedIdentifier().toString();
            if (!i.isStatic() && (name.equals(JobProcessor.JOB_ANNOTATION) || name.equals("dev.jobs.*"))) {
                return true;
            }
        }
        return false;
    }

    /** Whether something other than a class encloses the class at {@code path} (a method, a block, a lambda). */
    private static boolean isLocal(TreePath path) {
        for (TreePath p = path.getParentPath(); p != null; p = p.getParentPath()) {
            Tree leaf = p.getLeaf();
            if (leaf instanceof CompilationUnitTree) {
                return false;
            }
            if (!(leaf instanceof ClassTree)) {
                return true;
            }
        }
        return false;
    }
}
