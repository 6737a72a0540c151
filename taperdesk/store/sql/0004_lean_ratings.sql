-- TaperDesk schema 4: drop the by-symptom index of symptom_ratings.
--
-- No query reads ratings by symptom (the chart reads them all, a day's form reads
-- them by entry through the primary key), but every new diary day wrote one entry
-- per rating into this index, on up to 15 different pages: about a third of the
-- cost of saving a day. The only user was the foreign-key check when a symptom is
-- deleted, which rarely happens (symptoms are hidden, not deleted) and now scans
-- the table instead (a few milliseconds for ten years of ratings).

DROP INDEX IF EXISTS symptom_ratings_by_symptom;
