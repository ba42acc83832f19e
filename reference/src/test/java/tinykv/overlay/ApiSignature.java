package tinykv.overlay;

import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaModifier;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The API a class shows outside itself: every non-private member of it and of its nested classes, one
 * line each (modifiers, type, name, parameters). Two classes are twins when their lines are equal.
 */
final class ApiSignature {
    private ApiSignature() {}

    static SortedSet<String> of(JavaClasses classes, String topLevelName) {
        SortedSet<String> lines = new TreeSet<>();
        for (JavaClass javaClass : classes) {
            String name = javaClass.getName();
            if (!name.equals(topLevelName) && !name.startsWith(topLevelName + "$")) {
                continue;
            }
            if (isHidden(javaClass.getModifiers())) {
                continue;
            }
            lines.add(describe(javaClass));
            javaClass.getMembers().stream()
                    .filter(member -> !isHidden(member.getModifiers()))
                    .map(ApiSignature::describe)
                    .forEach(lines::add);
        }
        return lines;
    }

    /**
     * What each provided method of the class does: every non-private method, constructor or initializer
     * whose body does not throw {@code Todo} (so not a student's TODO), with the methods it calls, the
     * constructors it invokes and the fields it touches. The skeleton and the reference must agree on
     * these, or the provided code a student reads would not be the code the reference runs.
     */
    static SortedSet<String> providedBodies(JavaClasses classes, String topLevelName) {
        SortedSet<String> lines = new TreeSet<>();
        for (JavaClass javaClass : classes) {
            String name = javaClass.getName();
            if (!name.equals(topLevelName) && !name.startsWith(topLevelName + "$")) {
                continue;
            }
            javaClass.getCodeUnits().stream()
                    .filter(code -> !isHidden(code.getModifiers()))
                    .filter(code -> code.getConstructorCallsFromSelf().stream()
                            .noneMatch(call -> call.getTargetOwner().getName().equals("tinykv.Todo")))
                    .map(code -> describe(code) + " does " + accesses(code))
                    .forEach(lines::add);
        }
        return lines;
    }

    private static String accesses(JavaCodeUnit code) {
        return code.getAccessesFromSelf().stream()
                .map(JavaAccess::getTarget)
                .map(target -> target.getFullName())
                .sorted()
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static boolean isHidden(Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PRIVATE)
                || modifiers.contains(JavaModifier.SYNTHETIC)
                || modifiers.contains(JavaModifier.BRIDGE);
    }

    private static String describe(JavaClass javaClass) {
        String supertypes = javaClass.getRawSuperclass().map(JavaClass::getName).orElse("-") + " "
                + javaClass.getRawInterfaces().stream().map(JavaClass::getName).sorted().collect(Collectors.joining(","));
        return "class " + modifiers(javaClass.getModifiers()) + javaClass.getName() + " : " + supertypes;
    }

    private static String describe(JavaMember member) {
        String prefix = member.getOwner().getName() + " " + modifiers(member.getModifiers());
        if (member instanceof JavaField field) {
            return prefix + "field " + field.getRawType().getName() + " " + field.getName();
        }
        JavaCodeUnit code = (JavaCodeUnit) member;
        String parameters = code.getRawParameterTypes().stream().map(JavaClass::getName).collect(Collectors.joining(", "));
        return prefix + code.getRawReturnType().getName() + " " + code.getName() + "(" + parameters + ")";
    }

    private static String modifiers(Set<JavaModifier> modifiers) {
        return modifiers.stream().map(modifier -> modifier.name().toLowerCase() + " ").sorted().collect(Collectors.joining());
    }
}
