-- Issue #9 §3: a site's notification categories, each user's preferences (channel switches,
-- per-category overrides, quiet hours), sends held back by the decision every send goes through
-- (services/preferences/decide.ts: skipped, deferred until quiet hours end, digested), and the
-- digest windows collecting events until they go out as one message.
CREATE TABLE `categories` (
	`site_id` text NOT NULL,
	`key` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`default_enabled` integer DEFAULT true NOT NULL,
	`required` integer DEFAULT false NOT NULL,
	`channels` text DEFAULT '{}' NOT NULL,
	`digest` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `key`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `site_users` ADD `preferences` text DEFAULT '{}' NOT NULL;
--> statement-breakpoint
ALTER TABLE `notifications` ADD `digest` text;
--> statement-breakpoint
ALTER TABLE `deliveries` ADD `release_at` integer;
--> statement-breakpoint
CREATE INDEX `deliveries_release_idx` ON `deliveries` (`release_at`) WHERE "deliveries"."status" = 'deferred';
--> statement-breakpoint
CREATE TABLE `digest_entries` (
	`site_id` text NOT NULL,
	`user_id` text NOT NULL,
	`channel` text NOT NULL,
	`digest_key` text NOT NULL,
	`notification_id` text NOT NULL,
	`title` text,
	`url` text,
	`flush_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `user_id`, `channel`, `digest_key`, `notification_id`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `digest_entries_flush_idx` ON `digest_entries` (`flush_at`);
