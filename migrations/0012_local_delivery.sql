-- Issue #10 §2: a send delivered at a wall-clock time in each recipient's timezone
-- ({ time, date? }; services/preferences/decide.ts defers each recipient until their moment).
ALTER TABLE `notifications` ADD `local_delivery` text;
