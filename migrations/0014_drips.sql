-- Issue #10 §4: welcome drip campaigns — the drips, each subscriber's place in one (claimed by
-- the scheduler before a step goes out), and the notifications each step went out in.
CREATE TABLE `drips` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`steps` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `drips_site_idx` ON `drips` (`site_id`,`status`);
--> statement-breakpoint
CREATE TABLE `drip_enrollments` (
	`drip_id` text NOT NULL,
	`subscriber_id` text NOT NULL,
	`site_id` text NOT NULL,
	`entered_at` integer NOT NULL,
	`next_step` integer NOT NULL,
	`next_due_at` integer,
	`status` text NOT NULL,
	`claim` text,
	`claimed_at` integer,
	PRIMARY KEY(`drip_id`, `subscriber_id`),
	FOREIGN KEY (`drip_id`) REFERENCES `drips`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `drip_enrollments_due_idx` ON `drip_enrollments` (`next_due_at`) WHERE "drip_enrollments"."status" = 'active';
--> statement-breakpoint
CREATE TABLE `drip_sends` (
	`notification_id` text PRIMARY KEY NOT NULL,
	`drip_id` text NOT NULL,
	`step_id` text NOT NULL,
	`site_id` text NOT NULL,
	`recipients` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`drip_id`) REFERENCES `drips`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `drip_sends_step_idx` ON `drip_sends` (`drip_id`,`step_id`);
