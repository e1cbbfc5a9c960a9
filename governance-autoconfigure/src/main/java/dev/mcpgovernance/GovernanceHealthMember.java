package dev.mcpgovernance;

/**
 * A member of the {@code mcp-governance} health group: each concern declares a bean of this type
 * for its own health contributor, so that the group knows no concern's names. A member whose
 * contributor does not exist (Actuator absent, the concern off) is left out of the group.
 *
 * @param contributor the health contributor's name, as Actuator gives it (the bean name without
 * {@code HealthIndicator}), e.g. {@code mcpGovernanceAudit}
 */
public record GovernanceHealthMember(String contributor) {

	public GovernanceHealthMember {
		if (contributor == null || contributor.isBlank()) {
			throw new IllegalArgumentException("A health member needs the contributor's name");
		}
	}

}
