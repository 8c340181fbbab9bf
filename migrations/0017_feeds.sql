-- Issue #10 §5: RSS-to-push — the feeds a site follows, the items each showed (deduplicated by
-- key) and the send guard that makes each item's notification happen once.
CREATE TABLE `feeds` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`mode` text NOT NULL,
	`template` text NOT NULL,
	`target` text NOT NULL,
	`category` text,
	`max_items_per_poll` integer NOT NULL,
	`enabled` integer DEFAULT true NOT NULL,
	`baseline_done` integer DEFAULT false NOT NULL,
	`etag` text,
	`last_modified` text,
	`last_polled_at` integer,
	`next_poll_at` integer,
	`last_error` text,
	`last_error_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `feeds_site_idx` ON `feeds` (`site_id`,`id`);
--> statement-breakpoint
CREATE INDEX `feeds_due_idx` ON `feeds` (`enabled`,`next_poll_at`);
--> statement-breakpoint
CREATE TABLE `feed_items` (
	`feed_id` text NOT NULL,
	`item_key` text NOT NULL,
	`site_id` text NOT NULL,
	`title` text,
	`url` text,
	`image` text,
	`summary` text,
	`published_at` integer,
	`state` text NOT NULL,
	`notification_id` text,
	`first_seen_at` integer NOT NULL,
	PRIMARY KEY(`feed_id`, `item_key`),
	FOREIGN KEY (`feed_id`) REFERENCES `feeds`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `feed_items_state_idx` ON `feed_items` (`feed_id`,`state`,`first_seen_at`);
--> statement-breakpoint
CREATE TABLE `feed_sends` (
	`feed_id` text NOT NULL,
	`item_key` text NOT NULL,
	`notification_id` text NOT NULL,
	PRIMARY KEY(`feed_id`, `item_key`),
	FOREIGN KEY (`feed_id`) REFERENCES `feeds`(`id`) ON UPDATE no action ON DELETE cascade
);
