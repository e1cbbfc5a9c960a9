package dev.mcpgovernance.resource;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

import dev.mcpgovernance.tool.AnnotatedMethodRegistrar;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.ai.mcp.annotation.McpPrompt;
import org.springframework.ai.mcp.annotation.McpResource;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link GovernedResource} and {@link GovernedPrompt} methods on every bean as it is created,
 * with the URI (template) or prompt name Spring AI serves each under; the
 * {@link GovernedResourceRegistry} turns the candidates into policies.
 */
public class GovernedResourceRegistrar extends AnnotatedMethodRegistrar<GovernedResourceRegistrar.Candidate> {

	private static final Log logger = LogFactory.getLog(GovernedResourceRegistrar.class);

	public GovernedResourceRegistrar() {
		super(List.of(GovernedResource.class, GovernedPrompt.class));
	}

	List<Candidate> drain() {
		return drainCandidates();
	}

	@Override
	protected List<Candidate> candidates(Method method, String beanName, String declaredBy) {
		List<Candidate> candidates = new ArrayList<>();
		GovernedResource resource = AnnotatedElementUtils.findMergedAnnotation(method, GovernedResource.class);
		if (resource != null) {
			McpResource served = AnnotatedElementUtils.findMergedAnnotation(method, McpResource.class);
			if (served == null || !StringUtils.hasText(served.uri())) {
				ignored(resource, declaredBy, beanName, "@McpResource with a uri");
			}
			else {
				candidates.add(new Candidate(GovernedKind.RESOURCE, served.uri(), Attributes.of(resource), declaredBy));
			}
		}
		GovernedPrompt prompt = AnnotatedElementUtils.findMergedAnnotation(method, GovernedPrompt.class);
		if (prompt != null) {
			McpPrompt served = AnnotatedElementUtils.findMergedAnnotation(method, McpPrompt.class);
			if (served == null) {
				ignored(prompt, declaredBy, beanName, "@McpPrompt");
			}
			else {
				// Spring AI names an unnamed prompt after its method.
				String name = StringUtils.hasText(served.name()) ? served.name() : method.getName();
				candidates.add(new Candidate(GovernedKind.PROMPT, name, Attributes.of(prompt), declaredBy));
			}
		}
		return candidates;
	}

	private static void ignored(Annotation annotation, String declaredBy, String beanName, String missing) {
		logger.warn("@" + annotation.annotationType().getSimpleName() + " on " + declaredBy + " (bean '" + beanName
				+ "') has no effect: the method is not " + missing);
	}

	/** A governed resource or prompt method seen on a bean, not yet checked against the configuration. */
	record Candidate(GovernedKind kind, String key, Attributes attributes, String declaredBy) {
	}

	/** What {@link GovernedResource} and {@link GovernedPrompt} have in common. */
	record Attributes(String annotation, String domain, String resource, String action, boolean audit,
			List<String> redact, String rateLimit, String globalRateLimit) {

		static Attributes of(GovernedResource annotation) {
			return new Attributes("@GovernedResource", annotation.domain(), annotation.resource(), annotation.action(),
					annotation.audit(), List.of(annotation.redact()), annotation.rateLimit(),
					annotation.globalRateLimit());
		}

		static Attributes of(GovernedPrompt annotation) {
			return new Attributes("@GovernedPrompt", annotation.domain(), annotation.resource(), annotation.action(),
					annotation.audit(), List.of(annotation.redact()), annotation.rateLimit(),
					annotation.globalRateLimit());
		}

	}

}
