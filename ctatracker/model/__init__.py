"""What a record is: row models (`schema`, `accounts`, `public_suggestion`) on a strict base, closed lists
(`enums`), and the DuckDB DDL generated from the models (`ddl`)."""
