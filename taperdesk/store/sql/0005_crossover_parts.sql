-- TaperDesk schema 5: a crossover can move each dose to the new drug in parts.
--
-- With one daily dose, switching it all at once (clonazepam 1 mg at night to
-- diazepam 20 mg on day 1) is the most abrupt change a crossover can make; the
-- ASAM 2025 equivalence table notes that moving over 1-2 weeks may be more
-- successful. NULL (every revision saved before) means 1: the whole dose at once.

ALTER TABLE plan_revisions ADD COLUMN crossover_parts INTEGER
    CHECK (crossover_parts IS NULL OR crossover_parts BETWEEN 1 AND 8);
