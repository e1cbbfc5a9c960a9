package dev.mcpgovernance.ratelimit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.mcpgovernance.GovernanceReportContributor;

import org.springframework.util.StringUtils;

/** The rate limits' part of the governance report: the store, and each tool's limits. */
class RateLimitReportContributor implements GovernanceReportContributor {

	private final GovernanceRateLimitProperties properties;

	public RateLimitReportContributor(GovernanceRateLimitProperties properties) {
		this.properties = properties;
	}

	@Override
	public Map<String, String> stores() {
		return Map.of("rate-limit", this.properties.getStore().name().toLowerCase(Locale.ROOT));
	}

	@Override
	public Optional<String> rateLimit(ReportedTool tool) {
		if (tool.scope() == null) {
			return Optional.empty();
		}
		List<String> limits = new ArrayList<>();
		String perCaller = limitText(this.properties.getTools().get(tool.scope()), tool.rateLimit());
		String global = limitText(this.properties.getGlobalTools().get(tool.scope()), tool.globalRateLimit());
		if (perCaller != null) {
			limits.add(perCaller + " per caller");
		}
		if (global != null) {
			limits.add(global + " all callers");
		}
		return limits.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", limits));
	}

	/** The configured limit, which wins over the annotation's, as {@code capacity/unit}. */
	private static String limitText(RateLimit configured, String annotated) {
		if (configured != null) {
			Duration period = configured.period();
			String unit = switch ((int) Math.min(period.toSeconds(), Integer.MAX_VALUE)) {
				case 1 -> "s";
				case 60 -> "min";
				case 3600 -> "h";
				case 86400 -> "day";
				default -> period.toString();
			};
			return configured.capacity() + "/" + unit;
		}
		return StringUtils.hasText(annotated) ? annotated.trim() : null;
	}

}
