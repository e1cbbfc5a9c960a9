package dev.mcpgovernance;

import java.util.Map;

import jakarta.validation.Validation;
import jakarta.validation.ValidationException;
import jakarta.validation.ValidatorFactory;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Reads settings still written under a key they have moved from, so that an application keeps
 * working across the move: the old entries are bound and validated as the new ones are, and a
 * warning names the key to write instead. Entries under the new key win over old ones of the same name.
 */
public final class MovedProperties {

	private static final Log logger = LogFactory.getLog(MovedProperties.class);

	private MovedProperties() {
	}

	/**
	 * Adds to {@code current} (bound from {@code newKey}) the entries of the map still written under
	 * {@code oldKey} that it does not hold.
	 */
	public static <V> void addMovedEntries(Environment environment, String oldKey, String newKey, Class<V> type,
			Map<String, V> current) {
		Map<String, V> moved = bind(Binder.get(environment), oldKey, type);
		if (moved.isEmpty()) {
			return;
		}
		logger.warn(oldKey + ".* is deprecated: write " + newKey + ".* instead (read from the old key for now: "
				+ moved.keySet() + ").");
		moved.forEach(current::putIfAbsent);
	}

	private static <V> Map<String, V> bind(Binder binder, String key, Class<V> type) {
		Bindable<Map<String, V>> target = Bindable.mapOf(String.class, type);
		if (!ClassUtils.isPresent("jakarta.validation.Validation", MovedProperties.class.getClassLoader())) {
			return binder.bind(key, target).orElse(Map.of());
		}
		return Validating.bind(binder, key, target);
	}

	/** Kept apart so that nothing of Bean Validation is loaded without it. */
	private static final class Validating {

		static <T> T bind(Binder binder, String key, Bindable<T> target) {
			try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
				BindHandler validating = new ValidationBindHandler(new SpringValidatorAdapter(validation.getValidator()));
				return binder.bind(key, target, validating).orElseGet(() -> empty(target));
			}
			catch (ValidationException ex) {
				// No Bean Validation provider: bound without checks, as the new key's entries are then.
				return binder.bind(key, target).orElseGet(() -> empty(target));
			}
		}

		@SuppressWarnings("unchecked")
		private static <T> T empty(Bindable<T> target) {
			return (T) Map.of();
		}

	}

}
