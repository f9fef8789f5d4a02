package platform;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.persistence.Entity;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules of DESIGN section 2, checked on the compiled code. {@link #ALLOWED} is the one
 * place where the allowed dependencies between modules are written down.
 */
class ArchitectureTest {

    /** Each module and the modules it may use. Arrows point at what is used; {@code platform} is usable by all. */
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "market", Set.of("pools", "credits", "chain", "accounts"),
            "credits", Set.of("pools", "chain", "accounts"),
            "pools", Set.of("gpu", "chain", "accounts"),
            "gpu", Set.of("accounts"),
            "chain", Set.of("accounts"),
            "accounts", Set.of());

    /** The application shell and shared kernel: error shape, clock, embedded database. Uses no module. */
    static final String PLATFORM = "platform";

    private static JavaClasses product;

    @BeforeAll
    static void importProduct() {
        List<String> packages = new ArrayList<>(ALLOWED.keySet());
        packages.add(PLATFORM);
        product = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages(packages);
    }

    @Test
    void everyClassLivesInAModuleOrThePlatform() {
        JavaClasses everything = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPath(java.nio.file.Path.of("target", "classes"));
        Set<String> known = new TreeSet<>(ALLOWED.keySet());
        known.add(PLATFORM);
        classes().should(new ArchCondition<>("reside in a module's top-level package " + known) {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                String top = item.getPackageName().split("\\.")[0];
                if (!known.contains(top)) {
                    events.add(SimpleConditionEvent.violated(item, item.getName() + " is outside the modules"));
                }
            }
        }).check(everything);
    }

    @Test
    void modulesUseOnlyTheModulesTheyAreAllowedTo() {
        moduleDependencies("").forEach(rule -> rule.check(product));
    }

    @Test
    void aPlantedForbiddenDependencyIsCaught() {
        JavaClasses planted = new ClassFileImporter().importPackages("archfixture");
        assertThrows(AssertionError.class,
                () -> moduleDependencies("archfixture.").forEach(rule -> rule.check(planted)));
    }

    @Test
    void modulesReachOtherModulesOnlyThroughTheirTopPackage() {
        for (String module : ALLOWED.keySet()) {
            for (String other : ALLOWED.keySet()) {
                if (!other.equals(module)) {
                    noClasses().that().resideInAPackage(module + "..")
                            .should().dependOnClassesThat(resideInSubPackageOf(other))
                            .because("other modules see only " + other + "'s facade and records")
                            .allowEmptyShould(true)
                            .check(product);
                }
            }
        }
    }

    @Test
    void theModulesHaveNoCycles() {
        slices().matching("(*)..").should().beFreeOfCycles().allowEmptyShould(true).check(product);
    }

    @Test
    void entitiesAndRepositoriesAreNotPublic() {
        classes().that().areAnnotatedWith(Entity.class).should().notBePublic().allowEmptyShould(true).check(product);
        classes().that().areAssignableTo(PanacheRepositoryBase.class).should().notBePublic().allowEmptyShould(true).check(product);
    }

    @Test
    void theTimeAlwaysComesFromAClock() {
        noClasses().should(callNowWithoutAClock()).check(product);
    }

    @Test
    void plantedViolationsOfTheClockAndWeb3jRulesAreCaught() {
        JavaClasses planted = new ClassFileImporter().importPackages("archfixture");
        assertThrows(AssertionError.class, () -> noClasses().should(callNowWithoutAClock()).check(planted));
        assertThrows(AssertionError.class, () -> web3jOnlyInChain().check(planted));
    }

    @Test
    void onlyChainTalksToTheChainThroughWeb3j() {
        web3jOnlyInChain().check(product);
    }

    private static ArchRule web3jOnlyInChain() {
        return noClasses().that().resideOutsideOfPackages("chain..", "archfixture.chain..")
                .should().dependOnClassesThat(inPackage("org.web3j..").and(DescribedPredicate.not(web3jSignatureCode())))
                .because("only chain uses web3j's RPC, transaction and contract types; signature code may be used anywhere")
                .allowEmptyShould(true);
    }

    @Test
    void onlyGpuTouchesJcuda() {
        noClasses().that().resideOutsideOfPackage("gpu..")
                .should().dependOnClassesThat().resideInAPackage("jcuda..")
                .allowEmptyShould(true)
                .check(product);
    }

    /** One rule per module: it depends on no module outside its allowed set (with the given package root). */
    static List<ArchRule> moduleDependencies(String root) {
        List<ArchRule> rules = new ArrayList<>();
        for (var entry : ALLOWED.entrySet()) {
            Set<String> forbidden = new TreeSet<>(ALLOWED.keySet());
            forbidden.remove(entry.getKey());
            forbidden.removeAll(entry.getValue());
            if (!forbidden.isEmpty()) {
                rules.add(noClasses().that().resideInAPackage(root + entry.getKey() + "..")
                        .should().dependOnClassesThat().resideInAnyPackage(
                                forbidden.stream().map(m -> root + m + "..").toArray(String[]::new))
                        .because(entry.getKey() + " may use only " + entry.getValue() + " (ArchitectureTest.ALLOWED)")
                        .allowEmptyShould(true));
            }
        }
        rules.add(noClasses().that().resideInAPackage(root + PLATFORM + "..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        ALLOWED.keySet().stream().map(m -> root + m + "..").toArray(String[]::new))
                .because("the platform is used by the modules, never the other way round")
                .allowEmptyShould(true));
        return rules;
    }

    private static DescribedPredicate<JavaClass> resideInSubPackageOf(String module) {
        return DescribedPredicate.describe("reside in a sub-package of " + module,
                c -> c.getPackageName().startsWith(module + "."));
    }

    private static DescribedPredicate<JavaClass> inPackage(String pattern) {
        return JavaClass.Predicates.resideInAPackage(pattern);
    }

    /** Signature code: org.web3j.crypto and the hex helpers it needs. */
    private static DescribedPredicate<JavaClass> web3jSignatureCode() {
        return JavaClass.Predicates.resideInAnyPackage("org.web3j.crypto..", "org.web3j.utils..");
    }

    private static ArchCondition<JavaClass> callNowWithoutAClock() {
        Set<String> clocks = Set.of("java.time.Instant", "java.time.LocalDateTime", "java.time.LocalDate",
                "java.time.LocalTime", "java.time.ZonedDateTime", "java.time.OffsetDateTime", "java.time.OffsetTime",
                "java.time.Year", "java.time.YearMonth", "java.time.MonthDay");
        return new ArchCondition<>("call now() without a Clock (or System.currentTimeMillis())") {
            @Override
            public void check(JavaClass item, ConditionEvents events) {
                for (JavaMethodCall call : item.getMethodCallsFromSelf()) {
                    String owner = call.getTargetOwner().getName();
                    String name = call.getName();
                    boolean nowWithoutClock = clocks.contains(owner) && name.equals("now")
                            && !(call.getTarget().getRawParameterTypes().size() == 1
                            && call.getTarget().getRawParameterTypes().get(0).isEquivalentTo(Clock.class));
                    boolean systemTime = owner.equals("java.lang.System") && name.equals("currentTimeMillis");
                    if (nowWithoutClock || systemTime) {
                        events.add(SimpleConditionEvent.satisfied(item, call.getDescription()));
                    }
                }
            }
        };
    }
}
