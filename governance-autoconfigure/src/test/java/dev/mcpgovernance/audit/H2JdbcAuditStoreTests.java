package dev.mcpgovernance.audit;

import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The JDBC audit store on embedded H2. */
class H2JdbcAuditStoreTests extends AbstractJdbcAuditStoreTests {

	@Override
	DataSource createDataSource() {
		return new DriverManagerDataSource("jdbc:h2:mem:audit_" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
	}

}
