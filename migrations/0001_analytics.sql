CREATE TABLE `analytics_daily` (
	`site_id` text NOT NULL,
	`notification_id` text NOT NULL,
	`date` text NOT NULL,
	`targeted` integer DEFAULT 0 NOT NULL,
	`sent` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`pruned` integer DEFAULT 0 NOT NULL,
	`impressions` integer DEFAULT 0 NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`dismissals` integer DEFAULT 0 NOT NULL,
	`value` real DEFAULT 0 NOT NULL,
	`subscribers_gained` integer DEFAULT 0 NOT NULL,
	`subscribers_lost` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`site_id`, `date`, `notification_id`),
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `deliveries_site_created_idx` ON `deliveries` (`site_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `subscribers_site_subscribed_idx` ON `subscribers` (`site_id`,`subscribed_at`);--> statement-breakpoint
CREATE INDEX `subscribers_site_unsubscribed_idx` ON `subscribers` (`site_id`,`unsubscribed_at`);