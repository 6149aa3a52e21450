/**
 * The nodes of dbt-utils' integration project that do not pass on MySQL/MariaDB, each with the
 * reason (what MySQL or MariaDB cannot do); a node skipped because one of these failed upstream
 * says so. Test ids are written without dbt's trailing hash. The README's conformance table
 * lists the same reasons.
 */

const RELATIONS =
  'get_relations_by_pattern/prefix query `<database>.information_schema.tables` (a three-part name: MySQL has no database above the schema) with ILIKE, which MySQL lacks';
const WHERE = "the seed has a column named `condition`, a reserved word in MySQL/MariaDB, used unquoted in the model's where";
const UNION =
  "union_relations casts each column to its information_schema type (`cast(x as bigint)`): MySQL's CAST takes only SIGNED, UNSIGNED, CHAR, DECIMAL, DOUBLE, FLOAT, DATE, DATETIME, TIME, JSON";
const FULL = 'equal_rowcount and fewer_rows_than use FULL OUTER JOIN, which MySQL/MariaDB do not have';
const COLLATION =
  "MariaDB only: a view's `cast(x as char)` comes out utf8mb4_general_ci whatever the connection's collation, so comparing it with a utf8mb4_unicode_ci seed column is an 'Illegal mix of collations' (MySQL 8 keeps the connection's collation)";
const FLOAT =
  'the seed column is declared `float`, single precision in MySQL (about 7 significant digits): 3.3 is stored as 3.2999999523, and 62.3888186 equals 62.3888187';
const PAD = "MySQL's PAD SPACE collations compare '  ' equal to '' (the test with trim_whitespace: false expects them to differ)";

const downstream = (reason: string) => `skipped: what it reads failed (${reason})`;

export const EXPECTED_FAILURES: Readonly<Record<string, string>> = {
  'model.dbt_utils_integration_tests.test_get_column_values_where': WHERE,
  'model.dbt_utils_integration_tests.test_get_relations_by_pattern': RELATIONS,
  'model.dbt_utils_integration_tests.test_get_relations_by_prefix_and_union': RELATIONS,
  'model.dbt_utils_integration_tests.test_union': downstream(UNION),
  'model.dbt_utils_integration_tests.test_union_base': UNION,
  'model.dbt_utils_integration_tests.test_union_exclude_base_lowercase': UNION,
  'model.dbt_utils_integration_tests.test_union_exclude_base_uppercase': UNION,
  'model.dbt_utils_integration_tests.test_union_exclude_lowercase': downstream(UNION),
  'model.dbt_utils_integration_tests.test_union_exclude_uppercase': downstream(UNION),
  'model.dbt_utils_integration_tests.test_union_no_source_column': UNION,
  'model.dbt_utils_integration_tests.test_union_where': downstream(UNION),
  'model.dbt_utils_integration_tests.test_union_where_base': UNION,
  'test.dbt_utils_integration_tests.assert_equal_test_get_single_v_4bd3e7c0d59fe845': FLOAT,
  'test.dbt_utils_integration_tests.assert_equal_test_get_single_v_a5da5aae47b9fc92': COLLATION,
  'test.dbt_utils_integration_tests.assert_equal_test_url_host__actual__expected': COLLATION,
  'test.dbt_utils_integration_tests.assert_equal_test_url_path__actual__expected': COLLATION,
  'test.dbt_utils_integration_tests.at_least_one_test_get_relations_by_prefix_and_union_user_id': downstream(RELATIONS),
  'test.dbt_utils_integration_tests.equal_rowcount_test_equal_rowc_e5ba61b5176ef04c': FULL,
  'test.dbt_utils_integration_tests.equal_rowcount_test_equal_rowcount__ref_test_equal_rowcount_': FULL,
  'test.dbt_utils_integration_tests.equality_data_test_equality_fl_365be7efb27dc824': FLOAT,
  'test.dbt_utils_integration_tests.equality_test_get_column_value_902db93433a5d1c2': downstream(WHERE),
  'test.dbt_utils_integration_tests.equality_test_get_relations_by_0fe1c7961cf1f099': downstream(RELATIONS),
  'test.dbt_utils_integration_tests.equality_test_union__ref_data_union_expected_': downstream(UNION),
  'test.dbt_utils_integration_tests.equality_test_union_exclude_lo_55096731ed73dc01': downstream(UNION),
  'test.dbt_utils_integration_tests.equality_test_union_exclude_up_d9b5ffe06bf2907f': downstream(UNION),
  'test.dbt_utils_integration_tests.equality_test_unpivot__ref_data_unpivot_expected_': COLLATION,
  'test.dbt_utils_integration_tests.equality_test_unpivot_bool__ref_data_unpivot_bool_expected_': COLLATION,
  'test.dbt_utils_integration_tests.equality_test_unpivot_quote__ref_data_unpivot_quote_expected_': COLLATION,
  'test.dbt_utils_integration_tests.expect_table_columns_to_match__0266893a82021026': downstream(UNION),
  'test.dbt_utils_integration_tests.expression_is_true_test_union_where_id___1': downstream(UNION),
  'test.dbt_utils_integration_tests.fewer_rows_than_test_fewer_row_14654114c0af6b03': FULL,
  'test.dbt_utils_integration_tests.fewer_rows_than_test_fewer_row_bcfaadfffc67716b': FULL,
  'test.dbt_utils_integration_tests.not_constant_test_union_where_favorite_number': downstream(UNION),
  'test.dbt_utils_integration_tests.not_empty_string_test_not_empt_6cf66e2f12cc8d47': PAD,
  'test.dbt_utils_integration_tests.not_null_test_get_relations_by_prefix_and_union_event': downstream(RELATIONS),
  'test.dbt_utils_integration_tests.not_null_test_get_relations_by_prefix_and_union_user_id': downstream(RELATIONS),
  'test.dbt_utils_integration_tests.unique_test_get_relations_by_prefix_and_union_user_id': downstream(RELATIONS),
};
