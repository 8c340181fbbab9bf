-- Issue #10 §1: segments (saved audiences as rules over subscribers), and indexes for the rules'
-- common paths: country, last seen, and a subscriber's events by type and time (engagement).
CREATE TABLE `segments` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`rules` text NOT NULL,
	`estimated_count` integer,
	`estimated_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `segments_site_idx` ON `segments` (`site_id`,`id`);
--> statement-breakpoint
CREATE INDEX `subscribers_site_country_idx` ON `subscribers` (`site_id`,`country`);
--> statement-breakpoint
CREATE INDEX `subscribers_site_last_seen_idx` ON `subscribers` (`site_id`,`last_seen_at`);
--> statement-breakpoint
CREATE INDEX `events_subscriber_type_idx` ON `events` (`subscriber_id`,`type`,`created_at`);
