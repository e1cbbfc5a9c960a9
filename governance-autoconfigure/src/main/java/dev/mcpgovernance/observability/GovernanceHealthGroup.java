package dev.mcpgovernance.observability;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;

/**
 * Adds the health group {@code mcp-governance} ({@code /actuator/health/mcp-governance}) with the
 * starter's contributors. Added in code rather than as a {@code management.endpoint.health.group.*}
 * default because Spring Boot refuses to start when a configured member does not exist, and which
 * of them exist depends on the configuration; a member missing here is simply left out. A group of
 * that name the application configures itself is kept as it is.
 */
class GovernanceHealthGroup implements HealthEndpointGroupsPostProcessor {

	/** The group's name. */
	public static final String NAME = "mcp-governance";

	private final Set<String> members;

	/** @param members the health contributor names that belong to the group */
	public GovernanceHealthGroup(Set<String> members) {
		this.members = Set.copyOf(members);
	}

	@Override
	public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
		if (groups.getNames().contains(NAME)) {
			return groups;
		}
		return new WithGovernanceGroup(groups, new Members(groups.getPrimary(), this.members));
	}

	/**
	 * The application's groups plus ours. Like Spring Boot's own probe groups it stays an
	 * {@link AdditionalPathsMapper}: Actuator's request matchers cast the groups bean to one.
	 */
	private record WithGovernanceGroup(HealthEndpointGroups groups, HealthEndpointGroup governance)
			implements HealthEndpointGroups, AdditionalPathsMapper {

		@Override
		public HealthEndpointGroup getPrimary() {
			return this.groups.getPrimary();
		}

		@Override
		public Set<String> getNames() {
			Set<String> names = new LinkedHashSet<>(this.groups.getNames());
			names.add(NAME);
			return names;
		}

		@Override
		public HealthEndpointGroup get(String name) {
			return NAME.equals(name) ? this.governance : this.groups.get(name);
		}

		@Override
		public List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace webServerNamespace) {
			return (this.groups instanceof AdditionalPathsMapper mapper)
					? mapper.getAdditionalPaths(endpointId, webServerNamespace) : null;
		}

	}

	/** A group of named members that shows and aggregates like the main health endpoint. */
	private record Members(HealthEndpointGroup primary, Set<String> names) implements HealthEndpointGroup {

		@Override
		public boolean isMember(String name) {
			return this.names.contains(name);
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return this.primary.showComponents(securityContext);
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return this.primary.showDetails(securityContext);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return this.primary.getStatusAggregator();
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return this.primary.getHttpCodeStatusMapper();
		}

		@Override
		public AdditionalHealthEndpointPath getAdditionalPath() {
			return null;
		}

	}

}
