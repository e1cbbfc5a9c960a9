package dev.mcpgovernance.tool;

import java.lang.reflect.Method;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.ai.mcp.annotation.McpTool;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.support.ToolUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Finds {@link GovernedTool} methods on every bean as it is created, and works out the MCP tool name
 * each one is exposed under. The {@link GovernedToolRegistry} turns these into policies once the
 * configuration is known.
 */
public class GovernedToolRegistrar extends AnnotatedMethodRegistrar<GovernedToolRegistrar.Candidate> {

	private static final Log logger = LogFactory.getLog(GovernedToolRegistrar.class);

	public GovernedToolRegistrar() {
		super(List.of(GovernedTool.class));
	}

	List<Candidate> drain() {
		return drainCandidates();
	}

	@Override
	protected List<Candidate> candidates(Method method, String beanName, String declaredBy) {
		GovernedTool annotation = AnnotatedElementUtils.findMergedAnnotation(method, GovernedTool.class);
		String toolName = toolName(method);
		if (toolName == null) {
			logger.warn("@GovernedTool on " + declaredBy + " (bean '" + beanName
					+ "') has no effect: the method is neither @Tool nor @McpTool");
			return List.of();
		}
		return List.of(new Candidate(toolName, annotation, declaredBy));
	}

	private static String toolName(Method method) {
		McpTool mcpTool = AnnotatedElementUtils.findMergedAnnotation(method, McpTool.class);
		if (mcpTool != null) {
			return StringUtils.hasText(mcpTool.name()) ? mcpTool.name() : method.getName();
		}
		if (AnnotatedElementUtils.hasAnnotation(method, Tool.class)) {
			return ToolUtils.getToolName(method);
		}
		return null;
	}

	/** A governed tool method seen on a bean, not yet checked against the configuration. */
	record Candidate(String toolName, GovernedTool annotation, String declaredBy) {
	}

}
