package credits.web;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;

/**
 * The checks of each GPU of a pool in a simulation request: present, with an id, a holder, and
 * online seconds and DCs that are present and not negative. One constraint on the list rather than
 * {@code @Valid} on each element: Hibernate Validator spends about 2.5 µs of bookkeeping per
 * cascaded bean, a quarter of a second for a 100,000-GPU network, while these checks cost next to
 * nothing. The violations are the ones the element constraints would give, with the same paths
 * ({@code pools[0].gpus[3].holder}) and messages.
 */
@Target({ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = ValidGpus.Validator.class)
@interface ValidGpus {

    String message() default "has an invalid GPU";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Validator implements ConstraintValidator<ValidGpus, List<SimulationRequest.Gpu>> {

        private static final String NOT_NULL = "{jakarta.validation.constraints.NotNull.message}";
        private static final String NOT_BLANK = "{jakarta.validation.constraints.NotBlank.message}";
        private static final String TOO_LONG = "must be at most " + SimulationRequest.MAX_ID_LENGTH + " characters";
        private static final String POSITIVE_OR_ZERO = "{jakarta.validation.constraints.PositiveOrZero.message}";

        @Override
        public boolean isValid(List<SimulationRequest.Gpu> gpus, ConstraintValidatorContext context) {
            if (gpus == null) {
                return true; // @NotNull's to say
            }
            boolean valid = true;
            for (int i = 0; i < gpus.size(); i++) {
                SimulationRequest.Gpu gpu = gpus.get(i);
                if (gpu == null) {
                    context.buildConstraintViolationWithTemplate(NOT_NULL).addBeanNode().inIterable().atIndex(i).addConstraintViolation();
                    valid = false;
                    continue;
                }
                valid &= check(gpu.id() != null && !gpu.id().isBlank(), NOT_BLANK, "id", i, context)
                        && check(gpu.id().length() <= SimulationRequest.MAX_ID_LENGTH, TOO_LONG, "id", i, context);
                valid &= check(gpu.holder() != null, NOT_NULL, "holder", i, context);
                valid &= check(gpu.onlineSeconds() != null, NOT_NULL, "onlineSeconds", i, context)
                        && check(gpu.onlineSeconds() >= 0, POSITIVE_OR_ZERO, "onlineSeconds", i, context);
                valid &= check(gpu.dcConsumed() != null, NOT_NULL, "dcConsumed", i, context)
                        && check(gpu.dcConsumed() >= 0, POSITIVE_OR_ZERO, "dcConsumed", i, context);
            }
            if (!valid) {
                context.disableDefaultConstraintViolation();
            }
            return valid;
        }

        private static boolean check(boolean ok, String message, String field, int index, ConstraintValidatorContext context) {
            if (!ok) {
                context.buildConstraintViolationWithTemplate(message)
                        .addPropertyNode(field).inIterable().atIndex(index)
                        .addConstraintViolation();
            }
            return ok;
        }
    }
}
