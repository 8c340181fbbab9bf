-- Issue #9: a send's category (the site's notification categories, which preferences and digests
-- key on) and priority (urgent passes quiet hours and digests).
ALTER TABLE `notifications` ADD `category` text;
--> statement-breakpoint
ALTER TABLE `notifications` ADD `priority` text DEFAULT 'normal' NOT NULL;
