-- The resource and prompt rules of an upstream added through the admin API, like those of a
-- configured one: allow and deny globs (JSON lists) and scope overrides by glob (JSON objects).
-- Upstreams stored before this migration keep exposing every resource and prompt under its default scope.
ALTER TABLE mcp_governance_upstream ADD COLUMN allowed_resources VARCHAR(4000) DEFAULT '[]' NOT NULL;
ALTER TABLE mcp_governance_upstream ADD COLUMN denied_resources VARCHAR(4000) DEFAULT '[]' NOT NULL;
ALTER TABLE mcp_governance_upstream ADD COLUMN resource_scopes VARCHAR(4000) DEFAULT '{}' NOT NULL;
ALTER TABLE mcp_governance_upstream ADD COLUMN allowed_prompts VARCHAR(4000) DEFAULT '[]' NOT NULL;
ALTER TABLE mcp_governance_upstream ADD COLUMN denied_prompts VARCHAR(4000) DEFAULT '[]' NOT NULL;
ALTER TABLE mcp_governance_upstream ADD COLUMN prompt_scopes VARCHAR(4000) DEFAULT '{}' NOT NULL;
