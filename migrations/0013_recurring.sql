-- Issue #10 §3: recurring notifications — a series (a campaign and a calendar rule) and its runs,
-- one per date, each with the notification it created (services/recurring).
CREATE TABLE `recurring_series` (
	`id` text PRIMARY KEY NOT NULL,
	`site_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`recurrence` text NOT NULL,
	`catch_up` integer DEFAULT true NOT NULL,
	`notification` text NOT NULL,
	`next_run_date` text,
	`next_run_at` integer,
	`last_run_at` integer,
	`last_error` text,
	`runs_count` integer DEFAULT 0 NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`site_id`) REFERENCES `sites`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `recurring_series_site_idx` ON `recurring_series` (`site_id`,`created_at`);
--> statement-breakpoint
CREATE INDEX `recurring_series_due_idx` ON `recurring_series` (`status`,`next_run_at`);
--> statement-breakpoint
CREATE TABLE `recurring_runs` (
	`series_id` text NOT NULL,
	`run_date` text NOT NULL,
	`site_id` text NOT NULL,
	`notification_id` text NOT NULL,
	`due_at` integer NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`series_id`, `run_date`),
	FOREIGN KEY (`series_id`) REFERENCES `recurring_series`(`id`) ON UPDATE no action ON DELETE cascade
);
