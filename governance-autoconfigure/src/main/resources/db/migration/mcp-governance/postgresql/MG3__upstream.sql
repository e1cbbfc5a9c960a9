-- Upstream MCP servers added through the admin API, shared by every replica: each one reads the
-- table at every gateway refresh. Upstreams declared in configuration are never stored here.
-- No secret is ever stored: a credential is the name of one declared in configuration.
CREATE TABLE mcp_governance_upstream (
    domain           VARCHAR(63)   NOT NULL PRIMARY KEY,
    url              VARCHAR(2000) NOT NULL,
    transport        VARCHAR(16)   NOT NULL,
    description      VARCHAR(1000),
    allowed_tools    VARCHAR(4000) NOT NULL,
    denied_tools     VARCHAR(4000) NOT NULL,
    scopes           VARCHAR(4000) NOT NULL,
    credential       VARCHAR(100),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    created_by_key   VARCHAR(200),
    created_by_owner VARCHAR(200)
);
